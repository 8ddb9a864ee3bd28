/** The deauthorization workflow's type, id and input: shared by the workflow and the service that starts it. */
export const ZOOM_DEAUTHORIZATION_WORKFLOW_TYPE = 'zoomDeauthorizationWorkflow';

/**
 * One deauthorization workflow per Zoom user and deauthorization: a redelivered webhook finds the
 * same run, while a later deauthorization (the tutor reconnected and removed the app again) gets
 * its own, instead of joining a run that only deletes grants older than the first.
 */
export const zoomDeauthorizationWorkflowId = (zoomUserId: string, deauthorizedAt: string): string =>
  `zoom-deauthorization/${zoomUserId}/${deauthorizedAt}`;

export interface ZoomDeauthorizationInput {
  zoomUserId: string;
  deleteUserData: boolean;
  /** ISO; absent in workflows started by the previous release, then the start time stands in. */
  deauthorizedAt?: string;
}
