import type { Container } from '../container';
import { createGrantRevocationActivities } from './grant-revocations';
import { createLessonActivities } from './lessons';
import { createPlatformEventActivities } from './platform-events';
import { createTokenSweepActivities } from './token-sweep';
import { createZoomConnectionActivities } from './zoom-connection';

/** Every activity the worker registers, each area's made by its own factory from the container. */
export function createActivities(container: Container) {
  const { services } = container;
  return {
    ...createZoomConnectionActivities({ deauthorization: services.deauthorization }),
    ...createLessonActivities({
      meetings: services.lessonMeetings,
      notifications: services.notifications,
      commands: services.lessonCommands,
      logger: container.logger,
    }),
    ...createTokenSweepActivities({ sweep: services.tokenSweep }),
    ...createGrantRevocationActivities({ processor: services.revocationProcessor }),
    ...createPlatformEventActivities({
      delivery: services.eventDelivery,
      failedLessons: services.failedLessons,
    }),
  };
}
export type Activities = ReturnType<typeof createActivities>;
