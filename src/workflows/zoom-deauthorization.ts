import { proxyActivities } from '@temporalio/workflow';
import type { LessonActivities } from '../activities/lessons';
import type { ZoomConnectionActivities } from '../activities/zoom-connection';

const acts = proxyActivities<
  ZoomConnectionActivities & Pick<LessonActivities, 'moveUpcomingZoomLessonsToDaily'>
>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** A tutor removed our app in Zoom: forget the connection, then move their upcoming lessons to Daily. */
export async function zoomDeauthorizationWorkflow(input: {
  zoomUserId: string;
  deleteUserData: boolean;
}): Promise<{ tutorIds: string[]; lessonsMoved: number }> {
  const tutorIds = await acts.deauthorizeZoomUser(input);
  let lessonsMoved = 0;
  for (const tutorId of tutorIds) lessonsMoved += await acts.moveUpcomingZoomLessonsToDaily({ tutorId });
  return { tutorIds, lessonsMoved };
}
