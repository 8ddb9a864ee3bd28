import type { Knex } from 'knex';
import type { LessonsStore } from '../../db/stores/lessons-store';
import type { MeetingsStore } from '../../db/stores/meetings-store';
import { lessonMeetingView } from '../meetings/meeting-view';
import type { DailyReason, FailedReason, LessonEventType, PlatformEventData } from './event-types';
import type { PlatformEvents } from './platform-events';

export interface LessonEventOptions {
  reason?: DailyReason | FailedReason;
  /** lesson.failed: the workflow that failed. */
  workflowId?: string;
  /** Default: one event of a type per lesson and version, however often its step runs. */
  dedupeKey?: string;
}

/**
 * Lesson events carry the body of GET /lessons/:id/meeting, read in the transaction that made the
 * change (so it is the state that change left), plus `reason` where one applies.
 */
export function createLessonEvents(deps: {
  events: PlatformEvents;
  lessons: LessonsStore;
  meetingsStore: MeetingsStore;
}) {
  return {
    async record(
      type: LessonEventType,
      lessonId: string,
      trx: Knex | undefined,
      { dedupeKey, ...extra }: LessonEventOptions = {},
    ): Promise<boolean> {
      if (!deps.events.enabled) return false;
      const lesson = await deps.lessons.find(lessonId, trx);
      if (!lesson) return false;
      const meeting = await deps.meetingsStore.findByLesson(lessonId, trx);
      const defined = Object.fromEntries(Object.entries(extra).filter(([, value]) => value !== undefined));
      const data = { ...lessonMeetingView(lesson, meeting), ...defined };
      return deps.events.record(
        type,
        data as PlatformEventData<typeof type>,
        trx,
        dedupeKey ?? `${type}:${lessonId}:${lesson.version}`,
      );
    },
  };
}
export type LessonEvents = ReturnType<typeof createLessonEvents>;
