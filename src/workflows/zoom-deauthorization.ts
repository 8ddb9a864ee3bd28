import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { LessonActivities } from '../activities/lessons';
import type { ZoomConnectionActivities } from '../activities/zoom-connection';
import type { ZoomDeauthorizationInput } from '../temporal/zoom-deauthorization';

const acts = proxyActivities<
  ZoomConnectionActivities & Pick<LessonActivities, 'moveUpcomingZoomLessonsToDaily'>
>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** A tutor removed our app in Zoom: forget the connection, then move their upcoming lessons to Daily. */
export async function zoomDeauthorizationWorkflow(
  input: ZoomDeauthorizationInput,
): Promise<{ tutorIds: string[]; lessonsMoved: number }> {
  // The tutors are looked up (and kept in history) before their grants go, so a retried delete
  // cannot lose them.
  const event = {
    zoomUserId: input.zoomUserId,
    deauthorizedAt: input.deauthorizedAt ?? workflowInfo().startTime.toISOString(),
  };
  const tutorIds = await acts.findDeauthorizedTutors(event);
  if (tutorIds.length)
    await acts.forgetDeauthorizedGrants({ ...event, tutorIds, deleteUserData: input.deleteUserData });
  let lessonsMoved = 0;
  for (const tutorId of tutorIds) lessonsMoved += await acts.moveUpcomingZoomLessonsToDaily({ tutorId });
  return { tutorIds, lessonsMoved };
}
