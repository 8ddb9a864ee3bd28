/** The lesson has no row (yet): booked through the typed client, not recorded so far. */
export class LessonNotRecordedError extends Error {
  constructor(readonly lessonId: string) {
    super(`lesson ${lessonId} is not recorded`);
    this.name = 'LessonNotRecordedError';
  }
}

/** The lesson's row holds another booking of its id than the workflow's own (one refused with a 409). */
export class LessonBookedOtherwiseError extends Error {
  constructor(readonly lessonId: string) {
    super(`lesson ${lessonId} is recorded with another booking`);
    this.name = 'LessonBookedOtherwiseError';
  }
}
