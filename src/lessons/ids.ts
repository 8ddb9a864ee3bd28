/** A lesson's workflow: its id and type, which histories, callers and the typed client name. */
export const lessonWorkflowId = (lessonId: string): string => `lesson-meeting/${lessonId}`;
export const LESSON_WORKFLOW_TYPE = 'lessonMeetingWorkflow';
