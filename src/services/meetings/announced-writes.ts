import type { Knex } from 'knex';
import type { LessonsStore } from '../../db/stores/lessons-store';
import type { MeetingRow, MeetingsStore } from '../../db/stores/meetings-store';
import type { DailyReason, LessonEventType } from '../platform-events/event-types';
import type { LessonEvents } from '../platform-events/lesson-events';

/** A platform event, and why Daily (where that applies). */
export type Announcement = { type: LessonEventType; reason?: DailyReason };

/**
 * The lesson changes that the platform hears of, each written with its events in one transaction,
 * so that an event is never lost nor sent for a change that did not commit.
 */
export function announcedWrites(deps: {
  db: Knex;
  lessons: LessonsStore;
  meetingsStore: MeetingsStore;
  lessonEvents: LessonEvents;
}) {
  return {
    /** The meeting's row and the events that report it. */
    async saveMeeting(row: Omit<MeetingRow, 'updatedAt'>, ...announced: Announcement[]): Promise<void> {
      await deps.db.transaction(async (trx) => {
        await deps.meetingsStore.createOrUpdateMeeting(row, trx);
        for (const { type, reason } of announced)
          await deps.lessonEvents.record(type, row.lessonId, trx, { reason });
      });
    },

    /** The lesson's status and its event (an ended lesson keeps its end); false for no such lesson. */
    async saveStatus(lessonId: string, status: 'cancelled' | 'finished'): Promise<boolean> {
      return deps.db.transaction(async (trx) => {
        if (!(await deps.lessons.setStatus(lessonId, status, trx))) return false;
        if ((await deps.lessons.find(lessonId, trx))?.status === status)
          await deps.lessonEvents.record(`lesson.${status}`, lessonId, trx);
        return true;
      });
    },
  };
}
