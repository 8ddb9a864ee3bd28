import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { LessonsStore } from '../../db/stores/lessons-store';
import type { MeetingsStore } from '../../db/stores/meetings-store';
import {
  bookingSchema,
  cancelRequestSchema,
  lessonIdSchema,
  requestIdSchema,
  rescheduleRequestSchema,
} from '../../lessons/schemas';
import { BookingRejectedError, INVALID_TIMES } from '../../services/meetings/booking-admission';
import type { CommandOutcome } from '../../services/meetings/lesson-command-delivery';
import type { LessonCommands } from '../../services/meetings/lesson-commands';
import type { LessonMeetings } from '../../services/meetings/lesson-meetings';
import { lessonMeetingSchema, lessonMeetingView } from '../../services/meetings/meeting-view';
import { lessonWorkflowId } from '../../lessons/ids';
import { addLogContext } from '../../observability/log-context';
import { requireBookingToken } from '../auth';
import { HttpError, invalidFields, invalidRequest } from '../http-error';
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
/** A 400 names each field at fault twice: as `issues`, and as Laravel's `errors` (field -> messages). */
const invalidBody = errorBody.extend({
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
  errors: z.record(z.string(), z.array(z.string())),
});
const links = { joinUrl: z.string(), participantJoinUrl: z.string() };
const booked = z.object({ lessonId: z.string(), workflowId: z.string(), ...links });
/** A reschedule or cancel on its way: send the same requestId again to repeat it safely. */
const accepted = z.object({ lessonId: z.string(), workflowId: z.string(), requestId: z.string() });
const lessonParams = z.object({ id: lessonIdSchema });
const idempotencyKey =
  'The `Idempotency-Key` header is read as the requestId when the body has none; without either, one is made up and answered.';
const failures = {
  400: {
    description:
      'invalid input, naming the field: a control, bidi or line-separator character, a field over its cap (emails 254, ids 64, names 200), a lesson ending in the past, starting beyond MAX_BOOKING_HORIZON_DAYS (400) or lasting over 24 hours',
    schema: invalidBody,
  },
  401: { description: 'missing or wrong booking token', schema: errorBody },
};
const requestIdConflict = 'the requestId was used for another command on this lesson with a different body';

const book = defineRoute({
  method: 'post',
  path: '/lessons',
  summary: 'Book an online lesson: its meeting is created and both sides emailed',
  tag: 'lessons',
  security: 'bookingToken',
  callsTemporal: true,
  body: bookingSchema,
  responses: {
    202: {
      description:
        "accepted (also for a repeated identical booking), with the lesson's signed join links: the host's and the student's",
      schema: booked,
    },
    ...failures,
    409: { description: 'the lesson exists with other details, or has ended', schema: errorBody },
  },
});
const reschedule = defineRoute({
  method: 'post',
  path: '/lessons/:id/reschedule',
  summary: `Move a lesson: the provider, the row and both sides are updated. ${idempotencyKey}`,
  tag: 'lessons',
  security: 'bookingToken',
  params: lessonParams,
  callsTemporal: true,
  body: rescheduleRequestSchema,
  responses: {
    200: {
      description:
        "moved within LESSON_COMMAND_WAIT_MS (3 s): the workflow's result (superseded: true when a newer command overtook it, with the lesson as it then is) and the join links",
      schema: accepted.extend({
        provider: z.enum(['zoom', 'daily']).optional(),
        meetingId: z.string().optional(),
        startsAt: z.string(),
        endsAt: z.string(),
        version: z.number(),
        superseded: z.boolean(),
        joinUrl: z.string().nullable(),
        participantJoinUrl: z.string().nullable(),
      }),
    },
    202: {
      description:
        'accepted, not applied yet (no worker took it within LESSON_COMMAND_WAIT_MS): it will be; GET /lessons/{id}/meeting shows when',
      schema: accepted,
    },
    ...failures,
    404: { description: 'unknown lesson', schema: errorBody },
    409: { description: `the lesson was cancelled or has ended, or ${requestIdConflict}`, schema: errorBody },
  },
});
const cancel = defineRoute({
  method: 'post',
  path: '/lessons/:id/cancel',
  summary: `Cancel a lesson: its meeting is deleted and both sides emailed. The body is optional. ${idempotencyKey}`,
  tag: 'lessons',
  security: 'bookingToken',
  params: lessonParams,
  callsTemporal: true,
  // PHP encodes an empty array as `[]`: read as no body.
  body: z.preprocess(
    (body) => (Array.isArray(body) && !body.length ? undefined : body),
    cancelRequestSchema.optional(),
  ),
  responses: {
    200: {
      description: "cancelled within LESSON_COMMAND_WAIT_MS (3 s): the workflow's result",
      schema: accepted.extend({ status: z.literal('cancelled'), version: z.number() }),
    },
    202: {
      description: 'accepted, not applied yet (also when already cancelled): it will be',
      schema: accepted,
    },
    ...failures,
    404: { description: 'unknown lesson', schema: errorBody },
    409: { description: `the lesson has ended, or ${requestIdConflict}`, schema: errorBody },
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
      if (INVALID_TIMES.has(error.reason)) {
        const field = error.reason === 'lesson_in_past' ? 'endsAt' : 'startsAt';
        throw invalidFields(error.reason, error.message, [{ path: `body.${field}`, message: error.message }]);
      }
      throw new HttpError(error.reason === 'unknown_lesson' ? 404 : 409, error.reason, error.message);
    }
  };
  // The body's requestId, else the Idempotency-Key header's (validated as one).
  const withIdempotencyKey = <T extends { requestId?: string }>(ctx: Context, body: T | undefined) => {
    const key = ctx.get('idempotency-key');
    if (body?.requestId || !key) return body;
    const parsed = requestIdSchema.safeParse(key);
    if (!parsed.success) throw invalidRequest('headers.idempotency-key', parsed.error);
    return { ...body, requestId: parsed.data };
  };
  /** 200 with the result when the command was applied in time, else 202: it is on its way. */
  const answer = async <R extends object>(
    ctx: Context,
    lessonId: string,
    outcome: CommandOutcome<R>,
    extra: () => Promise<object> = async () => ({}),
  ) => {
    const base = { lessonId, workflowId: lessonWorkflowId(lessonId), requestId: outcome.requestId };
    if (outcome.state !== 'completed') {
      ctx.status = 202;
      ctx.body = base;
      return;
    }
    ctx.status = 200;
    ctx.body = { ...base, ...outcome.result, ...(await extra()) };
  };
  // The result stays in the workflow's history, so it has no links: they are read from the row.
  const joinLinksOf = async (lessonId: string) => {
    const row = await deps.meetingsStore.findByLesson(lessonId);
    return { joinUrl: row?.joinUrl ?? null, participantJoinUrl: row?.participantJoinUrl ?? null };
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
      const outcome = await asHttp(() => deps.commands.reschedule(params.id, withIdempotencyKey(ctx, body)));
      await answer(ctx, params.id, outcome, () => joinLinksOf(params.id));
    },
    bookingSystemOnly,
  );

  mount(
    router,
    cancel,
    async (ctx, { params, body }) => {
      const outcome = await asHttp(() => deps.commands.cancel(params.id, withIdempotencyKey(ctx, body)));
      await answer(ctx, params.id, outcome);
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
