import type { Client } from '@temporalio/client';
import type { z } from 'zod';
import { systemClock, type Clock } from '../clock';
import {
  bookingSchema,
  cancelRequestSchema,
  lessonIdSchema,
  lessonTimesSchema,
  rescheduleRequestSchema,
} from '../lessons/schemas';
import type { CommandOutcome } from '../services/meetings/lesson-command-delivery';
import { createLessonCommands } from '../services/meetings/lesson-commands';
import { bookingHorizonDaysFromEnv, lessonSettingsFromEnv, type LessonSettings } from '../lessons/settings';
import { lessonStateQuery } from '../lessons/definitions';
import { lessonWorkflowId } from '../lessons/ids';
import { EncryptionCodec } from '../temporal/payload-codec';
import type { CancelResult, LessonState, RescheduleResult } from '../lessons/types';
import {
  DEFAULT_TASK_QUEUE,
  temporalCallTiming,
  temporalEnv,
  type TemporalCallTiming,
} from '../temporal/env';

export {
  cancelSignal,
  cancelUpdate,
  lessonStateQuery,
  rescheduleSignal,
  rescheduleUpdate,
  zoomDisconnectedSignal,
} from '../lessons/definitions';
export { lessonWorkflowId } from '../lessons/ids';
export type { LessonBooking } from '../lessons/schemas';
export type {
  CancelRequest,
  CancelResult,
  LessonState,
  RescheduleRequest,
  RescheduleResult,
} from '../lessons/types';
export type { CommandOutcome } from '../services/meetings/lesson-command-delivery';
export { BookingRejectedError, type BookingRejection } from '../services/meetings/booking-admission';
/** The data converter the caller's Client must be built with: `new Client({ ..., dataConverter: serviceDataConverter({ PAYLOAD_ENCRYPTION_KEY, PAYLOAD_ENCRYPTION_OLD_KEYS: [] }) })`. */
export { serviceDataConverter } from '../temporal/data-converter';

/**
 * A Client without the service's codec would write the people's names and emails to Temporal in
 * clear, and could not read the lessons' answers: refused at once rather than at the first call.
 */
function requireServiceCodec(client: Client): void {
  if (client.options.loadedDataConverter.payloadCodecs.some((codec) => codec instanceof EncryptionCodec))
    return;
  throw new Error(
    "createBookingClient needs a Client built with the service's data converter: " +
      'new Client({ connection, namespace, dataConverter: serviceDataConverter({ PAYLOAD_ENCRYPTION_KEY, PAYLOAD_ENCRYPTION_OLD_KEYS: [] }) })',
  );
}
export { bookingSchema, cancelRequestSchema, lessonIdSchema, lessonTimesSchema, rescheduleRequestSchema };

/**
 * For booking systems that talk to Temporal directly: the same operations as the HTTP API,
 * through the same lesson commands (a different body for an active lesson throws
 * BookingRejectedError, as HTTP answers 409), starting and signalling the same workflows. The workflow's first activity records users and lessons.
 * The caller's Client must use the service's data converter (exported here as serviceDataConverter,
 * with the service's PAYLOAD_ENCRYPTION_KEY): payloads are encrypted, and a Client without it is refused.
 */
export interface BookingClientOptions {
  client: Client;
  taskQueue?: string;
  /** Overrides of the service's settings, which are read from the environment as the service reads them. */
  settings?: Partial<LessonSettings>;
  /** How far ahead a lesson may start; MAX_BOOKING_HORIZON_DAYS (400) unless given. */
  maxBookingHorizonDays?: number;
  clock?: Clock;
  /**
   * TEMPORAL_CALL_TIMEOUT_MS (4000) and LESSON_COMMAND_WAIT_MS (3000) unless given: each call's
   * deadline, and how long a reschedule or cancel waits for its Update's result.
   */
  timing?: Partial<TemporalCallTiming>;
}

const timingEnv = temporalEnv.pick({ TEMPORAL_CALL_TIMEOUT_MS: true, LESSON_COMMAND_WAIT_MS: true });

export function createBookingClient(options: BookingClientOptions) {
  requireServiceCodec(options.client);
  const clock = options.clock ?? systemClock;
  const horizonDays = options.maxBookingHorizonDays ?? bookingHorizonDaysFromEnv();
  // An id goes into a workflow id: checked as the HTTP API checks its path.
  const lessonIdOf = (lessonId: string | number): string => lessonIdSchema.parse(lessonId);
  // Without the service's records: the workflow's first activity records the lesson.
  const commands = createLessonCommands({
    client: options.client,
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    settings: { ...lessonSettingsFromEnv(), ...options.settings },
    timing: { ...temporalCallTiming(timingEnv.parse(process.env)), ...options.timing },
    clock,
    horizonDays,
  });
  return {
    /** Throws at once on invalid input; rejects with BookingRejectedError on a conflict. */
    book: (input: z.input<typeof bookingSchema>) => commands.book(input),
    /**
     * Sends the reschedule as the workflow's Update. Resolves with `completed` and the result when
     * it is applied within the wait; `accepted` when it is under way; `signalled` when no worker
     * accepted it in time (the signal carries it, with the same requestId); `not-running` when the
     * lesson has no running workflow. Rejects with BookingRejectedError `request_id_conflict` for a
     * requestId used with other times. Send the same requestId again to learn the result.
     */
    reschedule: (
      lessonId: string | number,
      request: z.input<typeof rescheduleRequestSchema>,
    ): Promise<CommandOutcome<RescheduleResult>> => commands.reschedule(lessonIdOf(lessonId), request),
    /** As reschedule; `request` may carry a requestId. */
    cancel: (
      lessonId: string | number,
      request?: z.input<typeof cancelRequestSchema>,
    ): Promise<CommandOutcome<CancelResult>> => commands.cancel(lessonIdOf(lessonId), request),
    meeting: (lessonId: string | number): Promise<LessonState> =>
      options.client.workflow.getHandle(lessonWorkflowId(lessonIdOf(lessonId))).query(lessonStateQuery),
  };
}
export type BookingClient = ReturnType<typeof createBookingClient>;
