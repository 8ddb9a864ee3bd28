import type { AdvisoryLocks } from '../db/advisory-locks';
import type { Client } from '@temporalio/client';
import type { Clock } from '../clock';
import type { ServiceEnv } from '../config/service-env';
import type { KeyRing } from '../crypto/key-ring';
import type { Db } from '../db/knex';
import { createNoncesStore } from '../db/stores/nonces-store';
import type { Logger } from '../logger';
import type { DailyClient } from '../providers/daily/client';
import type { ZoomApiClient } from '../providers/zoom/api-client';
import type { ZoomOAuthClient } from '../providers/zoom/oauth-client';
import type { EmailSender } from './email/send-once';
import { createDailyMeetingService } from './meetings/daily-meeting-service';
import { createLessonMeetings } from './meetings/lesson-meetings';
import { createLessonNotifications } from './meetings/lesson-notifications';
import { createLessonStarter } from './meetings/lesson-starter';
import { lessonSettings } from '../lessons/settings';
import { createZoomMeetingService } from './meetings/zoom-meeting-service';
import { createTokenValidation } from './reconnection/token-validation';
import { createConnectFlow } from './zoom-connection/connect-flow';
import { createZoomTokenService } from './zoom-connection/token-service';

export interface ServiceDeps {
  env: ServiceEnv;
  logger: Logger;
  clock: Clock;
  db: Db;
  locks: AdvisoryLocks;
  keyRing: KeyRing;
  temporalClient: Client;
  zoomOAuth: ZoomOAuthClient;
  zoomApi: ZoomApiClient;
  daily: DailyClient;
  emailSender: EmailSender;
}

/** The seed's behaviour, wired once: the Zoom connection, meetings and their emails. */
export function createServices(deps: ServiceDeps) {
  const { env } = deps;
  const timing = { earlyJoinMinutes: env.EARLY_JOIN_MINUTES, graceMinutes: env.LESSON_GRACE_MINUTES };
  const nonces = createNoncesStore(deps.db);
  const tokenService = createZoomTokenService(deps);
  const connectFlow = createConnectFlow({
    ...deps,
    tokens: tokenService.tokens,
    nonces,
    stateSecret: env.LINK_SIGNING_SECRET,
  });
  const zoomMeetings = createZoomMeetingService(deps.zoomApi, tokenService);
  const dailyMeetings = createDailyMeetingService(deps.daily, timing);
  const lessonMeetings = createLessonMeetings({
    ...deps,
    tokens: tokenService,
    zoom: zoomMeetings,
    daily: dailyMeetings,
    publicBaseUrl: env.PUBLIC_BASE_URL,
    linkSecret: env.LINK_SIGNING_SECRET,
  });
  const notifications = createLessonNotifications({
    meetings: lessonMeetings,
    emailSender: deps.emailSender,
    clock: deps.clock,
    from: { email: env.MAIL_FROM, name: env.MAIL_FROM_NAME },
    reconnectUrl: `${env.PUBLIC_BASE_URL}/integrations/zoom/connect`,
  });
  const lessonStarter = createLessonStarter({
    client: deps.temporalClient,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    settings: lessonSettings(env),
  });
  const tokenValidation = createTokenValidation({
    ...deps,
    tokenService,
    publicBaseUrl: env.PUBLIC_BASE_URL,
    linkSecret: env.LINK_SIGNING_SECRET,
  });
  return {
    nonces,
    tokenService,
    connectFlow,
    zoomMeetings,
    dailyMeetings,
    lessonMeetings,
    notifications,
    lessonStarter,
    tokenValidation,
  };
}
export type Services = ReturnType<typeof createServices>;
