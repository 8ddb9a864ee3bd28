import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields every log line of one unit of work carries: a request, or one activity attempt. */
export interface LogContext {
  requestId?: string;
  workflowId?: string;
  workflowType?: string;
  activityType?: string;
  attempt?: number;
  lessonId?: string;
  tutorId?: string;
  tokenId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `work` with these fields on every log line written inside it, however deep. */
export function withLogContext<T>(fields: LogContext, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, work);
}

/** Adds fields learnt along the way (a route's lessonId) to the current unit of work. */
export function addLogContext(fields: LogContext): void {
  const store = storage.getStore();
  if (store) Object.assign(store, withoutUndefined(fields));
}

/** pino's mixin: merged into every line. */
export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}

function withoutUndefined(fields: LogContext): LogContext {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/**
 * The ids an activity's input names, if any: they are what an operator searches logs by.
 * Inputs carry either the ids themselves or a whole lesson booking.
 */
export function idsOf(input: unknown): Pick<LogContext, 'lessonId' | 'tutorId' | 'tokenId'> {
  const record = asRecord(input);
  const booking = asRecord(record.booking);
  return withoutUndefined({
    lessonId: text(record.lessonId) ?? text(booking.id),
    tutorId: text(record.tutorId) ?? text(asRecord(booking.tutor).id),
    tokenId: text(record.tokenId),
  });
}

const asRecord = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
const text = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
