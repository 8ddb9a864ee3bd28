import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { LessonState, RescheduleRequest } from './types';

/** The lesson workflow's signals and query: the workflow, the services and the typed client share them. */
export const rescheduleSignal = defineSignal<[RescheduleRequest]>('reschedule');
export const cancelSignal = defineSignal('cancel');
export const zoomDisconnectedSignal = defineSignal('zoomDisconnected');
export const lessonStateQuery = defineQuery<LessonState>('lessonState');
