import type { Container } from '../container';
import { createGrantRevocationActivities } from './grant-revocations';
import { createLessonActivities } from './lessons';
import { createTokenValidationActivities } from './token-validation';
import { createZoomConnectionActivities } from './zoom-connection';

/** Every activity the worker registers, each area's made by its own factory from the container. */
export function createActivities(container: Container) {
  const { services } = container;
  return {
    ...createZoomConnectionActivities({
      db: container.db,
      tokenService: services.tokenService,
      revocations: services.grantRevocations,
      logger: container.logger,
    }),
    ...createLessonActivities({
      meetings: services.lessonMeetings,
      notifications: services.notifications,
      commands: services.lessonCommands,
      logger: container.logger,
    }),
    ...createTokenValidationActivities({ validation: services.tokenValidation }),
    ...createGrantRevocationActivities({ processor: services.revocationProcessor }),
  };
}
export type Activities = ReturnType<typeof createActivities>;
