/** One deauthorization workflow per Zoom user: a redelivered webhook finds the same run. */
export const zoomDeauthorizationWorkflowId = (zoomUserId: string): string =>
  `zoom-deauthorization/${zoomUserId}`;
export const ZOOM_DEAUTHORIZATION_WORKFLOW_TYPE = 'zoomDeauthorizationWorkflow';
