/**
 * Why the lesson workflow refuses a command: the `type` of the ApplicationFailure that an Update's
 * validator throws (nothing reaches the history), so that the API can answer 400 or 409.
 */
export const LESSON_COMMAND_REFUSALS = {
  /** The input breaks the schema (or could not be decoded): 400. */
  invalid: 'InvalidLessonCommand',
  /** The request id came before with another body: 409. */
  requestIdReused: 'RequestIdReused',
  /** The lesson is cancelled or over: 409. */
  lessonClosed: 'LessonClosed',
} as const;

/** The type of an invalid start input's failure: the workflow fails at once, not retryable. */
export const INVALID_LESSON_INPUT = 'InvalidLessonInput';
