/**
 * One deauthorization workflow per Zoom user and deauthorization: a redelivered webhook finds the
 * same run, while a later deauthorization (the tutor reconnected and removed the app again) gets
 * its own, instead of joining a run that only deletes grants older than the first.
 */
export const zoomDeauthorizationWorkflowId = (zoomUserId: string, deauthorizedAt: string): string =>
  `zoom-deauthorization/${zoomUserId}/${deauthorizedAt}`;
export const ZOOM_DEAUTHORIZATION_WORKFLOW_TYPE = 'zoomDeauthorizationWorkflow';
