import type { AdvisoryLocks } from '../db/advisory-locks';
import type { Client } from '@temporalio/client';
import type { Clock } from '../clock';
import type { ServiceEnv } from '../config/service-env';
import type { KeyRing } from '../crypto/key-ring';
import type { Db } from '../db/knex';
import { createConnectSessionsStore } from '../db/stores/connect-sessions-store';
import { createNoncesStore } from '../db/stores/nonces-store';
import { createPendingGrantsStore } from '../db/stores/pending-grants-store';
import type { Logger } from '../logger';
import type { DailyClient } from '../providers/daily/client';
import type { ZoomApiClient } from '../providers/zoom/api-client';
import type { ZoomOAuthClient } from '../providers/zoom/oauth-client';
import type { EmailSender } from './email/send-once';
import { createDailyMeetingService } from './meetings/daily-meeting-service';
import { createLessonMeetings } from './meetings/lesson-meetings';
import { createLessonNotifications } from './meetings/lesson-notifications';
import { createLessonCommands } from './meetings/lesson-commands';
import { lessonSettings } from '../lessons/settings';
import { createZoomMeetingService } from './meetings/zoom-meeting-service';
import { createTokenValidation } from './reconnection/token-validation';
import { createGrantRevocations } from './revocation/create-grant-revocations';
import { createRevocationProcessor } from './revocation/revocation-processor';
import { triggerRevocations } from '../schedule/revocation-schedule';
import { createConnectFlow } from './zoom-connection/connect-flow';
import { createConnectSessions } from './zoom-connection/connect-sessions';
import { createGrantConfirmation } from './zoom-connection/grant-confirmation';
import type { GrantRevocations } from './zoom-connection/grant-revocations';
import { reconnectLink } from './zoom-connection/reconnect-token';
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
  /** Tests pass a double that records the calls. */
  grantRevocations?: GrantRevocations;
}

/** The seed's behaviour, wired once: the Zoom connection, meetings and their emails. */
export function createServices(deps: ServiceDeps) {
  const { env } = deps;
  const timing = { earlyJoinMinutes: env.EARLY_JOIN_MINUTES, graceMinutes: env.LESSON_GRACE_MINUTES };
  const nonces = createNoncesStore(deps.db);
  const grantRevocations =
    deps.grantRevocations ??
    createGrantRevocations({
      ...deps,
      wake: () => triggerRevocations(deps.temporalClient, env.REVOCATION_SCHEDULE_ID),
    });
  const revocationProcessor = createRevocationProcessor({
    ...deps,
    firstRetryMs: env.REVOCATION_RETRY_SECONDS * 1000,
  });
  const tokenService = createZoomTokenService({ ...deps, revocations: grantRevocations });
  const sessions = createConnectSessionsStore(deps.db);
  const pendingGrants = createPendingGrantsStore(deps.db, deps.keyRing);
  const connectSessions = createConnectSessions({ ...deps, sessions, publicBaseUrl: env.PUBLIC_BASE_URL });
  const connectFlow = createConnectFlow({
    ...deps,
    sessions,
    pendingGrants,
    nonces,
    revocations: grantRevocations,
    stateSecret: env.LINK_SIGNING_SECRET,
  });
  const grantConfirmation = createGrantConfirmation({
    ...deps,
    tokens: tokenService.tokens,
    sessions,
    pendingGrants,
    nonces,
    revocations: grantRevocations,
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
    reconnectUrlFor: (tutorId) =>
      reconnectLink(
        tutorId,
        { secret: env.LINK_SIGNING_SECRET, publicBaseUrl: env.PUBLIC_BASE_URL },
        deps.clock.now(),
      ),
  });
  const lessonCommands = createLessonCommands({
    client: deps.temporalClient,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    settings: lessonSettings(env),
    clock: deps.clock,
    horizonDays: env.MAX_BOOKING_HORIZON_DAYS,
    records: { lessons: lessonMeetings.lessons, meetings: lessonMeetings },
  });
  const tokenValidation = createTokenValidation({
    ...deps,
    tokenService,
    revocations: grantRevocations,
    publicBaseUrl: env.PUBLIC_BASE_URL,
    linkSecret: env.LINK_SIGNING_SECRET,
  });
  return {
    nonces,
    grantRevocations,
    revocationProcessor,
    tokenService,
    pendingGrants,
    connectSessions,
    connectFlow,
    grantConfirmation,
    zoomMeetings,
    dailyMeetings,
    lessonMeetings,
    notifications,
    lessonCommands,
    tokenValidation,
  };
}
export type Services = ReturnType<typeof createServices>;
