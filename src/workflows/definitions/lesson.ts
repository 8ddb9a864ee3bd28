import { defineQuery, defineSignal } from '@temporalio/workflow';

/** Shared by the workflow, the API and the typed booking client. */
export const lessonWorkflowId = (lessonId: string): string => `lesson-meeting/${lessonId}`;
export const LESSON_WORKFLOW_TYPE = 'lessonMeetingWorkflow';

export interface PersonInput {
  id: string;
  email: string;
  name: string;
  timeZone?: string;
}

export interface LessonBooking {
  id: string;
  title?: string;
  startsAt: string; // ISO 8601
  endsAt: string;
  tutor: PersonInput;
  student: PersonInput;
}

/** Configuration travels in the input: workflow code cannot read the environment. */
export interface LessonSettings {
  earlyJoinMinutes: number;
  graceMinutes: number;
  zoomFallbackMarginMinutes: number;
}

export interface LessonMeetingInput {
  booking: LessonBooking;
  bookingHash: string;
  settings: LessonSettings;
}

export interface RescheduleRequest {
  startsAt: string;
  endsAt: string;
}

export interface LessonState {
  lessonId: string;
  status: 'booking' | 'booked' | 'cancelled' | 'finished';
  provider?: 'zoom' | 'daily';
  meetingId?: string;
  startsAt: string;
  endsAt: string;
  version: number;
  pendingReschedule?: RescheduleRequest;
}

export const rescheduleSignal = defineSignal<[RescheduleRequest]>('reschedule');
export const cancelSignal = defineSignal('cancel');
export const zoomDisconnectedSignal = defineSignal('zoomDisconnected');
export const lessonStateQuery = defineQuery<LessonState>('lessonState');
