// Every workflow the worker runs. Workflow code is deterministic: it imports @temporalio/workflow,
// the lesson contract (src/lessons), the definitions files and activity types only (see eslint.config.mjs).
export { lessonMeetingWorkflow } from './lesson-meeting';
export { zoomDeauthorizationWorkflow } from './zoom-deauthorization';
export { tokenSweepWorkflow } from './token-sweep';
export { zoomReconnectionWorkflow } from './zoom-reconnection';
export { grantRevocationsWorkflow } from './grant-revocations';
export { platformEventsWorkflow, failedLessonsWorkflow } from './platform-events';
