import type { AdvisoryLocks } from '../db/advisory-locks';
import type { Client } from '@temporalio/client';
import type { Clock } from '../clock';
import type { ServiceEnv } from '../config/service-env';
import type { KeyRing } from '../crypto/key-ring';
import type { Db } from '../db/knex';
import type { Stores } from '../db/stores';
import type { Logger } from '../logger';
import type { DailyClient } from '../providers/daily/client';
import type { ZoomApiClient } from '../providers/zoom/api-client';
import type { ZoomOAuthClient } from '../providers/zoom/oauth-client';
import type { EmailSender } from './email/send-once';
import { createDailyMeetingService } from './meetings/daily-meeting-service';
import { createLessonMeetings } from './meetings/lesson-meetings';
import { createLessonNotifications } from './email/lesson-notifications';
import { createLessonCommands } from './meetings/lesson-commands';
import { lessonSettings } from '../lessons/settings';
import { createZoomMeetingService } from './meetings/zoom-meeting-service';
import { createTokenSweep } from './token-sweep/token-sweep';
import { createGrantRevocations } from './revocation/create-grant-revocations';
import { createRevocationProcessor } from './revocation/revocation-processor';
import { triggerPass } from '../schedule/pass-schedules';
import { createPlatformWebhookClient } from '../providers/platform/webhook-client';
import { platformWebhookFromEnv } from './platform-events/env';
import { createPlatformEvents } from './platform-events/platform-events';
import { createLessonEvents } from './platform-events/lesson-events';
import { createZoomEvents } from './platform-events/zoom-events';
import { createEventDelivery } from './platform-events/event-delivery';
import { createFailedLessonsReport } from './platform-events/failed-lessons';
import { createConnectFlow } from './zoom-connection/connect-flow';
import { createConnectSessions } from './zoom-connection/connect-sessions';
import { createGrantConfirmation } from './zoom-connection/grant-confirmation';
import type { GrantRevocations } from './zoom-connection/grant-revocations';
import { reconnectLink } from './zoom-connection/reconnect-token';
import { createZoomDeauthorization } from './zoom-connection/deauthorization';
import { createZoomTokenService } from './zoom-connection/token-service';
import { createEmailHasher } from './erasure/email-hash';
import { createForgetPerson } from './erasure/forget-person';
import { createWorkflowTraces } from './erasure/workflow-traces';
import { createZoomAgendaRewriter } from './erasure/zoom-agendas';
import { temporalCallTiming } from '../temporal/env';

export interface ServiceDeps {
  env: ServiceEnv;
  logger: Logger;
  clock: Clock;
  /** For transactions spanning stores; queries go through `stores`. */
  db: Db;
  stores: Stores;
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
export function createServices({ stores, ...deps }: ServiceDeps) {
  const { env } = deps;
  const timing = { earlyJoinMinutes: env.EARLY_JOIN_MINUTES, graceMinutes: env.LESSON_GRACE_MINUTES };
  const { tokens, connectionEvents: events, users, nonces, pendingGrants } = stores;
  const sessions = stores.connectSessions;
  const grantRevocations =
    deps.grantRevocations ??
    createGrantRevocations({
      ...deps,
      store: stores.grantRevocations,
      wake: () => triggerPass(deps.temporalClient, env.REVOCATION_SCHEDULE_ID),
    });
  const revocationProcessor = createRevocationProcessor({
    ...deps,
    store: stores.grantRevocations,
    tokens,
    firstRetryMs: env.REVOCATION_RETRY_SECONDS * 1000,
  });
  const platformWebhook = platformWebhookFromEnv(env);
  const platformEvents = createPlatformEvents({
    ...deps,
    store: stores.platformEvents,
    enabled: platformWebhook !== undefined,
    deliveryWindowMs: env.PLATFORM_EVENTS_DELIVERY_HOURS * 3600_000,
    wake: () => triggerPass(deps.temporalClient, env.PLATFORM_EVENTS_SCHEDULE_ID),
  });
  const eventDelivery = createEventDelivery({
    ...deps,
    store: stores.platformEvents,
    client: platformWebhook && createPlatformWebhookClient(platformWebhook),
    firstRetryMs: env.PLATFORM_EVENTS_RETRY_SECONDS * 1000,
  });
  const lessonEvents = createLessonEvents({
    events: platformEvents,
    lessons: stores.lessons,
    meetingsStore: stores.meetings,
  });
  const zoomEvents = createZoomEvents(platformEvents);
  const failedLessons = createFailedLessonsReport({
    ...deps,
    client: deps.temporalClient,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    lessonEvents,
    enabled: platformEvents.enabled,
    lookbackMs: env.FAILED_LESSONS_LOOKBACK_HOURS * 3600_000,
  });
  const tokenService = createZoomTokenService({
    ...deps,
    tokens,
    events,
    zoomEvents,
    revocations: grantRevocations,
  });
  const deauthorization = createZoomDeauthorization({
    ...deps,
    tokens,
    events,
    zoomEvents,
    revocations: grantRevocations,
  });
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
    tokens,
    users,
    events,
    zoomEvents,
    sessions,
    pendingGrants,
    nonces,
    revocations: grantRevocations,
  });
  const zoomMeetings = createZoomMeetingService(deps.zoomApi, tokenService);
  const dailyMeetings = createDailyMeetingService(deps.daily, timing);
  const lessonMeetings = createLessonMeetings({
    ...deps,
    lessons: stores.lessons,
    meetingsStore: stores.meetings,
    lessonEvents,
    tokens: tokenService,
    zoom: zoomMeetings,
    daily: dailyMeetings,
    publicBaseUrl: env.PUBLIC_BASE_URL,
    linkSecret: env.LINK_SIGNING_SECRET,
  });
  const notifications = createLessonNotifications({
    meetings: lessonMeetings,
    meetingsStore: stores.meetings,
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
    timing: temporalCallTiming(env),
    clock: deps.clock,
    horizonDays: env.MAX_BOOKING_HORIZON_DAYS,
    records: { lessons: stores.lessons, meetings: lessonMeetings },
  });
  const tokenSweep = createTokenSweep({
    ...deps,
    tokens,
    users,
    events,
    reconnection: stores.reconnection,
    zoomEvents,
    tokenService,
    revocations: grantRevocations,
    publicBaseUrl: env.PUBLIC_BASE_URL,
    linkSecret: env.LINK_SIGNING_SECRET,
  });
  const forgetPerson = createForgetPerson({
    ...deps,
    stores,
    revocations: grantRevocations,
    lessonCommands,
    traces: createWorkflowTraces(deps.temporalClient),
    agendas: createZoomAgendaRewriter({ zoomApi: deps.zoomApi, tokens: tokenService }),
    hashEmail: createEmailHasher(env.LINK_SIGNING_SECRET),
  });
  return {
    grantRevocations,
    revocationProcessor,
    platformEvents,
    eventDelivery,
    failedLessons,
    tokenService,
    deauthorization,
    connectSessions,
    connectFlow,
    grantConfirmation,
    zoomMeetings,
    dailyMeetings,
    lessonMeetings,
    notifications,
    lessonCommands,
    tokenSweep,
    forgetPerson,
  };
}
export type Services = ReturnType<typeof createServices>;
