import type { LessonMeetingInput, LessonState } from '../lessons/types';
import { openLesson } from './lesson-handlers';
import { applyReschedule, book, cancel, finish, moveToDaily, nextCommand } from './lesson-steps';

/**
 * One online lesson, from booking to its end (the seed's "Meeting creation" and the Daily.co
 * operations). Every command (a reschedule, a cancel, the tutor's Zoom going away) preempts a step
 * still retrying a provider, so that it applies at once, whatever the provider is doing. Its input
 * and every command are checked first (lesson-handlers.ts): a bad one never fails a workflow task.
 */
export async function lessonMeetingWorkflow(input: LessonMeetingInput): Promise<LessonState> {
  // 0. The input, checked: an invalid one fails the lesson at once, naming the field.
  const run = openLesson(input);

  // 1. The meeting on the tutor's Zoom (or Daily), its row, and the LessonBooked emails.
  if (!(await book(run))) return cancel(run);

  // 2. Then each command as it comes, until a cancel or the lesson's end plus grace.
  for (;;) {
    switch (await nextCommand(run)) {
      case 'cancel':
        return cancel(run);
      case 'reschedule':
        await applyReschedule(run);
        break;
      case 'zoom-gone':
        await moveToDaily(run);
        break;
      case 'end':
        return finish(run);
    }
  }
}
