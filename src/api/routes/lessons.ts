import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { LessonsStore } from '../../db/stores/lessons-store';
import type { MeetingsStore } from '../../db/stores/meetings-store';
import { bookingSchema, lessonIdSchema, lessonTimesSchema } from '../../lessons/schemas';
import { BookingRejectedError, INVALID_TIMES } from '../../services/meetings/booking-admission';
import type { LessonCommands } from '../../services/meetings/lesson-commands';
import type { LessonMeetings } from '../../services/meetings/lesson-meetings';
import { lessonMeetingSchema, lessonMeetingView } from '../../services/meetings/meeting-view';
import { lessonWorkflowId } from '../../lessons/ids';
import { addLogContext } from '../../observability/log-context';
import { requireBookingToken } from '../auth';
import { HttpError } from '../http-error';
import { defineRoute, mount, type ApiArea } from '../route';

export interface LessonsAreaDeps {
  bookingApiToken: string;
  /** Books, reschedules and cancels: the rules are there, this area only answers in HTTP. */
  commands: Pick<LessonCommands, 'book' | 'reschedule' | 'cancel'>;
  /** Read by GET /lessons/:id/meeting. */
  meetings: LessonMeetings;
  lessons: LessonsStore;
  meetingsStore: MeetingsStore;
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
      schema: lessonMeetingSchema,
    },
    ...failures,
    404: { description: 'unknown lesson', schema: errorBody },
  },
});

export function createLessonsArea(deps: LessonsAreaDeps): ApiArea {
  const router = new Router();
  // The commands' rule breaks as HTTP answers: times out of the window are invalid input, an
  // unrecorded lesson is unknown, the rest conflicts.
  const asHttp = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof BookingRejectedError)) throw error;
      const status = INVALID_TIMES.has(error.reason) ? 400 : error.reason === 'unknown_lesson' ? 404 : 409;
      throw new HttpError(status, error.reason, error.message);
    }
  };
  const accept = (ctx: Context, lessonId: string) => {
    ctx.status = 202;
    ctx.body = { lessonId, workflowId: lessonWorkflowId(lessonId) };
  };

  // Every lesson route: the booking token is checked before the params or the body are read.
  const bookingSystemOnly = { authorize: (ctx: Context) => requireBookingToken(ctx, deps.bookingApiToken) };

  mount(
    router,
    book,
    async (ctx, { body }) => {
      const accepted = await asHttp(() => deps.commands.book(body));
      ctx.status = 202;
      ctx.body = accepted;
    },
    bookingSystemOnly,
  );

  mount(
    router,
    reschedule,
    async (ctx, { params, body }) => {
      await asHttp(() => deps.commands.reschedule(params.id, body));
      accept(ctx, params.id);
    },
    bookingSystemOnly,
  );

  mount(
    router,
    cancel,
    async (ctx, { params }) => {
      await asHttp(() => deps.commands.cancel(params.id));
      accept(ctx, params.id);
    },
    bookingSystemOnly,
  );

  mount(
    router,
    meeting,
    async (ctx, { params }) => {
      const lesson = await deps.lessons.find(params.id);
      if (!lesson) throw new HttpError(404, 'unknown_lesson', `No lesson ${params.id}`);
      addLogContext({ lessonId: lesson.id, tutorId: lesson.tutorId, workflowId: lesson.workflowId });
      const row =
        lesson.status === 'cancelled' ? undefined : await deps.meetingsStore.findByLesson(params.id);
      ctx.body = lessonMeetingView(lesson, row);
    },
    bookingSystemOnly,
  );

  return { router, routes: [book, reschedule, cancel, meeting] };
}
