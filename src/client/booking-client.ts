import type { Client } from '@temporalio/client';
import { systemClock, type Clock } from '../clock';
import { bookingSchema, lessonIdSchema, lessonTimesSchema, type LessonBooking } from '../lessons/schemas';
import { createLessonCommands } from '../services/meetings/lesson-commands';
import type { SignalOutcome } from '../services/meetings/lesson-workflows';
import { bookingHorizonDaysFromEnv, lessonSettingsFromEnv, type LessonSettings } from '../lessons/settings';
import { lessonStateQuery } from '../lessons/definitions';
import { lessonWorkflowId } from '../lessons/ids';
import type { LessonState } from '../lessons/types';
import { DEFAULT_TASK_QUEUE } from '../temporal/env';
import { EncryptionCodec } from '../temporal/payload-codec';

export {
  cancelSignal,
  lessonStateQuery,
  rescheduleSignal,
  zoomDisconnectedSignal,
} from '../lessons/definitions';
export { lessonWorkflowId } from '../lessons/ids';
export type { LessonBooking } from '../lessons/schemas';
export type { LessonState, RescheduleRequest } from '../lessons/types';
export { BookingRejectedError, type BookingRejection } from '../services/meetings/booking-admission';
export { bookingSchema, lessonIdSchema, lessonTimesSchema };
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
}

export function createBookingClient(options: BookingClientOptions) {
  requireServiceCodec(options.client);
  const clock = options.clock ?? systemClock;
  const horizonDays = options.maxBookingHorizonDays ?? bookingHorizonDaysFromEnv();
  // An id goes into a workflow id: checked as the HTTP API checks its path.
  const lessonIdOf = (lessonId: string): string => lessonIdSchema.parse(lessonId);
  // Without the service's records: the workflow's first activity records the lesson.
  const commands = createLessonCommands({
    client: options.client,
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    settings: { ...lessonSettingsFromEnv(), ...options.settings },
    clock,
    horizonDays,
  });
  return {
    /** Throws at once on invalid input; rejects with BookingRejectedError on a conflict. */
    book: (input: LessonBooking) => commands.book(input),
    reschedule: (lessonId: string, times: { startsAt: string; endsAt: string }): Promise<SignalOutcome> =>
      commands.reschedule(lessonIdOf(lessonId), times),
    cancel: (lessonId: string): Promise<SignalOutcome> => commands.cancel(lessonIdOf(lessonId)),
    meeting: (lessonId: string): Promise<LessonState> =>
      options.client.workflow.getHandle(lessonWorkflowId(lessonIdOf(lessonId))).query(lessonStateQuery),
  };
}
export type BookingClient = ReturnType<typeof createBookingClient>;
