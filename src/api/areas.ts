import type { Container } from '../container';
import { platformJwtSettings } from '../services/zoom-connection/platform-auth';
import { createPlatformAuth } from './auth';
import type { ApiArea } from './route';
import { createHealthArea } from './routes/health';
import { createOpenApiArea } from './routes/openapi';
import { createJoinLinksArea } from './routes/join-links';
import { createLessonsArea } from './routes/lessons';
import { createZoomConnectArea } from './routes/zoom-connect';
import { createZoomGrantsArea } from './routes/zoom-grants';
import { createZoomIntegrationArea } from './routes/zoom-integration';
import { createZoomWebhookArea } from './routes/zoom-webhooks';
import { createSendGridEventsArea } from './routes/sendgrid-events';
import { eventWebhookPublicKey } from '../providers/sendgrid/event-signature';

/** Every API area, in the order their routes are matched. */
export function createAreas(container: Container): ApiArea[] {
  const { env, services, stores, clock, logger } = container;
  const { lessonCommands } = services;
  const platformAuth = createPlatformAuth(platformJwtSettings(env, clock));
  const zoomFlow = {
    platformAuth,
    linkSigningSecret: env.LINK_SIGNING_SECRET,
    platformRedirectUrl: env.PLATFORM_REDIRECT_URL,
    secureCookies: env.PUBLIC_BASE_URL.startsWith('https:'),
  };
  const areas = [
    createHealthArea(
      [
        { name: 'postgres', check: async () => void (await container.db.raw('select 1')) },
        {
          name: 'temporal',
          // The namespace, not only the server: a wrong or unregistered one fails every start.
          check: async () =>
            void (await container.temporal.connection.workflowService.describeNamespace({
              namespace: env.TEMPORAL_NAMESPACE,
            })),
        },
      ],
      logger,
    ),
    createZoomConnectArea({
      ...zoomFlow,
      connectSessions: services.connectSessions,
      connectFlow: services.connectFlow,
      nonces: stores.nonces,
      users: stores.users,
      clock,
    }),
    createZoomGrantsArea({
      ...zoomFlow,
      grantConfirmation: services.grantConfirmation,
      publicOrigin: new URL(env.PUBLIC_BASE_URL).origin,
    }),
    createZoomIntegrationArea({
      tokenService: services.tokenService,
      platformAuth,
      onDisconnected: async (userId) => void (await lessonCommands.moveTutorLessonsToDaily(userId)),
    }),
    createZoomWebhookArea({
      secretToken: env.ZOOM_WEBHOOK_SECRET_TOKEN,
      verificationToken: env.ZOOM_VERIFICATION_TOKEN,
      clock,
      logger,
      startDeauthorization: async (event) => void (await lessonCommands.startDeauthorization(event)),
    }),
    createSendGridEventsArea({
      publicKey: env.SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY
        ? eventWebhookPublicKey(env.SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY)
        : undefined,
      logger,
      confirmSends: (messages) => container.emailSender.confirmFromEvents(messages),
    }),
    createLessonsArea({
      bookingApiToken: env.BOOKING_API_TOKEN,
      commands: lessonCommands,
      meetings: services.lessonMeetings,
      lessons: stores.lessons,
      meetingsStore: stores.meetings,
    }),
    createJoinLinksArea({
      linkSecret: env.LINK_SIGNING_SECRET,
      clock,
      meetings: services.lessonMeetings,
      meetingsStore: stores.meetings,
      zoom: services.zoomMeetings,
      daily: services.dailyMeetings,
      logger,
      moveToDaily: (lessonId) => lessonCommands.moveLessonToDaily(lessonId),
    }),
  ];
  return [...areas, createOpenApiArea(areas, env.PUBLIC_BASE_URL)];
}
