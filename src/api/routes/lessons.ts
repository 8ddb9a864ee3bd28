import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Clock } from '../../clock';
import type { LessonsStore } from '../../db/stores/lessons-store';
import type { MeetingsStore } from '../../db/stores/meetings-store';
import { bookingSchema, lessonIdSchema, lessonTimesSchema } from '../../lessons/schemas';
import {
  admitBooking,
  assertWithinWindow,
  BookingRejectedError,
  checkRepeatedBooking,
  INVALID_TIMES,
} from '../../services/meetings/booking-admission';
import type { LessonMeetings } from '../../services/meetings/lesson-meetings';
import type { LessonStarter } from '../../services/meetings/lesson-starter';
import { lessonWorkflowId } from '../../lessons/ids';
import { addLogContext } from '../../observability/log-context';
import { requireBookingToken } from '../auth';
import { HttpError } from '../http-error';
import { defineRoute, mount, type ApiArea } from '../route';

export interface LessonsAreaDeps {
  bookingApiToken: string;
  meetings: LessonMeetings;
  lessons: LessonsStore;
  meetingsStore: MeetingsStore;
  starter: LessonStarter;
  clock: Clock;
  /** MAX_BOOKING_HORIZON_DAYS: how far ahead a lesson may start. */
  maxBookingHorizonDays: number;
}

const errorBody = z.object({ error: z.string(), message: z.string() });
const accepted = z.object({ lessonId: z.string(), workflowId: z.string() });
const lessonParams = z.object({ id: lessonIdSchema });
const failures = {
  400: {
    description:
      'invalid input, naming the field: a control, bidi or line-separator character, a field over its cap (emails 254, ids 64, names 200), a lesson ending in the past, starting beyond MAX_BOOKING_HORIZON_DAYS (400) or lasting over 24 hours',
    schema: errorBody,
  },
  401: { description: 'missing or wrong booking token', schema: errorBody },
};

const book = defineRoute({
  method: 'post',
  path: '/lessons',
  summary: 'Book an online lesson: its meeting is created and both sides emailed',
  tag: 'lessons',
  security: 'bookingToken',
  callsTemporal: true,
  body: bookingSchema,
  responses: {
    202: { description: 'accepted (also for a repeated identical booking)', schema: accepted },
    ...failures,
    409: { description: 'the lesson exists with other details, or has ended', schema: errorBody },
  },
});
const reschedule = defineRoute({
  method: 'post',
  path: '/lessons/:id/reschedule',
  summary: 'Move a lesson: the provider, the row and both sides are updated',
  tag: 'lessons',
  security: 'bookingToken',
  params: lessonParams,
  callsTemporal: true,
  body: lessonTimesSchema,
  responses: {
    202: { description: 'accepted', schema: accepted },
    ...failures,
    404: { description: 'unknown lesson', schema: errorBody },
    409: { description: 'the lesson was cancelled or has ended', schema: errorBody },
  },
});
const cancel = defineRoute({
  method: 'post',
  path: '/lessons/:id/cancel',
  summary: 'Cancel a lesson: its meeting is deleted and both sides emailed',
  tag: 'lessons',
  security: 'bookingToken',
  params: lessonParams,
  callsTemporal: true,
  responses: {
    202: { description: 'accepted (also when already cancelled)', schema: accepted },
    ...failures,
    404: { description: 'unknown lesson', schema: errorBody },
    409: { description: 'the lesson has ended', schema: errorBody },
  },
});
const meeting = defineRoute({
  method: 'get',
  path: '/lessons/:id/meeting',
  summary: "The lesson's current meeting",
  tag: 'lessons',
  security: 'bookingToken',
  params: lessonParams,
  responses: {
    200: {
      description:
        'the meeting (provider and links are null while it is being created and once the lesson is cancelled; links are null once it is finished)',
      schema: z.object({
        lessonId: z.string(),
        status: z.string(),
        provider: z.enum(['zoom', 'daily']).nullable(),
        meetingId: z.string().nullable(),
        joinUrl: z.string().nullable(),
        participantJoinUrl: z.string().nullable(),
        startsAt: z.string(),
        endsAt: z.string(),
        version: z.number(),
      }),
    },
    ...failures,
    404: { description: 'unknown lesson', schema: errorBody },
  },
});

export function createLessonsArea(deps: LessonsAreaDeps): ApiArea {
  const router = new Router();
  // The rules shared with the typed client, as HTTP answers: times out of the window are invalid
  // input, the rest conflicts.
  const bookingWindow = () => ({ now: deps.clock.now(), horizonDays: deps.maxBookingHorizonDays });
  const asHttp = async (work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      if (!(error instanceof BookingRejectedError)) throw error;
      throw new HttpError(INVALID_TIMES.has(error.reason) ? 400 : 409, error.reason, error.message);
    }
  };
  // Over (its end plus grace passed): its workflow is finishing it, and would ignore a signal.
  const isOver = (lesson: { status: string; endsAt: Date }): boolean =>
    lesson.status === 'finished' || deps.meetings.overAt(lesson) <= deps.clock.now();
  const existingLesson = async (id: string) => {
    const lesson = await deps.lessons.find(id);
    if (!lesson) throw new HttpError(404, 'unknown_lesson', `No lesson ${id}`);
    addLogContext({ lessonId: id, tutorId: lesson.tutorId, workflowId: lesson.workflowId });
    return lesson;
  };

  // Every lesson route: the booking token is checked before the params or the body are read.
  const bookingSystemOnly = { authorize: (ctx: Context) => requireBookingToken(ctx, deps.bookingApiToken) };

  mount(
    router,
    book,
    async (ctx, { body }) =>
      asHttp(async () => {
        const { booking, hash } = admitBooking(body, bookingWindow());
        const workflowId = lessonWorkflowId(booking.id);
        addLogContext({ lessonId: booking.id, tutorId: booking.tutor.id, workflowId });
        // Insert first, then compare: two bookings racing for one id can't both pass a check.
        const known = await deps.meetings.recordBooking(booking, hash, workflowId);
        if (known) checkRepeatedBooking(booking.id, known, hash);
        ctx.status = 202;
        ctx.body = await deps.starter.book(booking, hash);
      }),
    bookingSystemOnly,
  );

  mount(
    router,
    reschedule,
    async (ctx, { params, body }) => {
      await asHttp(async () => assertWithinWindow(body, bookingWindow()));
      const lesson = await existingLesson(params.id);
      if (lesson.status === 'booked' && isOver(lesson))
        throw new HttpError(409, 'lesson_ended', `Lesson ${params.id} has ended`);
      if (lesson.status !== 'booked')
        throw new HttpError(409, 'lesson_not_active', `Lesson ${params.id} is ${lesson.status}`);
      if ((await deps.starter.reschedule(params.id, body)) === 'not-running') {
        const why = (await deps.starter.hasWorkflow(params.id))
          ? 'is no longer running'
          : 'was never started (its booking was answered 503): send the booking again first';
        throw new HttpError(409, 'lesson_not_active', `Lesson ${params.id} ${why}`);
      }
      ctx.status = 202;
      ctx.body = { lessonId: params.id, workflowId: lesson.workflowId };
    },
    bookingSystemOnly,
  );

  mount(
    router,
    cancel,
    async (ctx, { params }) => {
      const lesson = await existingLesson(params.id);
      if (lesson.status !== 'cancelled' && isOver(lesson))
        throw new HttpError(409, 'lesson_ended', `Lesson ${params.id} has ended`);
      // Signalled again on a repeated cancel, in case the first signal was lost. A workflow that
      // ended early (an operator stopped it) has a meeting nobody would clean up: a 409 that
      // changes nothing. A booking that never reached Temporal has no meeting and no email yet:
      // it is simply cancelled (a start still in flight finds the row cancelled and makes nothing).
      const signalled = await deps.starter.cancel(params.id);
      if (
        signalled === 'not-running' &&
        lesson.status === 'booked' &&
        (await deps.starter.hasWorkflow(params.id))
      ) {
        throw new HttpError(409, 'lesson_not_active', `Lesson ${params.id} is no longer running`);
      }
      // Recorded at once as well, so that a step still running makes no meeting or email.
      await deps.lessons.setStatus(params.id, 'cancelled');
      ctx.status = 202;
      ctx.body = { lessonId: params.id, workflowId: lesson.workflowId };
    },
    bookingSystemOnly,
  );

  mount(
    router,
    meeting,
    async (ctx, { params }) => {
      const lesson = await existingLesson(params.id);
      // Cancelled: its meeting is being deleted, and its links lead to a page saying so. Finished:
      // the meeting it had stays named, but its links expired with it.
      const row =
        lesson.status === 'cancelled' ? undefined : await deps.meetingsStore.findByLesson(params.id);
      const links = lesson.status === 'booked' ? row : undefined;
      ctx.body = {
        lessonId: lesson.id,
        status: lesson.status,
        provider: row?.provider ?? null,
        meetingId: row?.meetingId ?? null,
        joinUrl: links?.joinUrl ?? null,
        participantJoinUrl: links?.participantJoinUrl ?? null,
        startsAt: lesson.startsAt.toISOString(),
        endsAt: lesson.endsAt.toISOString(),
        version: lesson.version,
      };
    },
    bookingSystemOnly,
  );

  return { router, routes: [book, reschedule, cancel, meeting] };
}
