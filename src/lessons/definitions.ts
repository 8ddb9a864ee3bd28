import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CancelRequest, CancelResult, LessonState, RescheduleRequest, RescheduleResult } from './types';

/**
 * The lesson workflow's signals, Updates and query: the workflow, the services and the typed client
 * share them. A signal and an Update of the same name do the same thing; the Update answers.
 */
export const rescheduleSignal = defineSignal<[RescheduleRequest]>('reschedule');
export const cancelSignal = defineSignal<[CancelRequest?]>('cancel');
export const zoomDisconnectedSignal = defineSignal('zoomDisconnected');
export const rescheduleUpdate = defineUpdate<RescheduleResult, [RescheduleRequest]>('reschedule');
// The Update takes its request (`{}` without an id): the client's typings refuse an optional argument.
export const cancelUpdate = defineUpdate<CancelResult, [CancelRequest]>('cancel');
export const lessonStateQuery = defineQuery<LessonState>('lessonState');
