/** Shared by the platform events' workflows, their schedules and the ops CLI. */
export const PLATFORM_EVENTS_WORKFLOW_TYPE = 'platformEventsWorkflow';
export const FAILED_LESSONS_WORKFLOW_TYPE = 'failedLessonsWorkflow';
