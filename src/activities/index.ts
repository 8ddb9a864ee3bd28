import type { Container } from '../container';
import { createLessonActivities } from './lessons';
import { createTokenValidationActivities } from './token-validation';
import { createZoomConnectionActivities } from './zoom-connection';

/** Every activity the worker registers, each area's made by its own factory from the container. */
export function createActivities(container: Container) {
  const { services } = container;
  return {
    ...createZoomConnectionActivities({ db: container.db, tokenService: services.tokenService }),
    ...createLessonActivities({
      meetings: services.lessonMeetings,
      notifications: services.notifications,
      temporalClient: container.temporal.client,
      clock: container.clock,
      logger: container.logger,
    }),
    ...createTokenValidationActivities({ validation: services.tokenValidation }),
  };
}
export type Activities = ReturnType<typeof createActivities>;
