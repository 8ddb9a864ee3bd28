import { ApplicationFailure } from '@temporalio/workflow';
import type { z } from 'zod';
import { INVALID_LESSON_INPUT } from '../lessons/command-refusals';
import { lessonMeetingInputSchema } from '../lessons/schemas';
import type { LessonMeetingInput } from '../lessons/types';
import { isUndecodable } from '../temporal/payload-converter';

/**
 * The lesson workflow's inputs, checked with the API's own schemas: anyone with access to Temporal
 * (its CLI, any SDK) can start a lesson or send it a command, bypassing the API.
 */

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Each issue as `field: message`, so that the problem names the field. */
const describeIssues = (error: z.ZodError): string =>
  error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ');

/**
 * A handler's arguments: at most one, valid for `schema` (a schema that allows undefined takes
 * none). An undecodable payload arrives as the converter's marker and is named as such.
 */
export function checkArgs<T>(schema: z.ZodType<T>, args: readonly unknown[]): Checked<T> {
  if (args.length > 1) return { ok: false, problem: `takes one argument, got ${args.length}` };
  const [value] = args;
  if (isUndecodable(value)) return { ok: false, problem: value };
  const parsed = schema.safeParse(value);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, problem: describeIssues(parsed.error) };
}

/** The start input, or the workflow fails at once (not retryable) naming the field. */
export function checkLessonInput(input: unknown): LessonMeetingInput {
  const checked = checkArgs(lessonMeetingInputSchema, [input]);
  if (checked.ok) return checked.value;
  throw ApplicationFailure.nonRetryable(`invalid lesson input: ${checked.problem}`, INVALID_LESSON_INPUT);
}

/** Refuses an Update in its validator: nothing reaches the history, and the caller learns why. */
export function refuse(type: string, message: string): never {
  throw ApplicationFailure.nonRetryable(message, type);
}
