/** Temporal's own ceiling on this machine: a workflow that does nothing. */
export async function emptyWorkflow(): Promise<void> {
  // nothing: one workflow task to start and complete
}

/** The codec figure: a lesson-sized input in, the same out, nothing else (bench/codec.ts). */
export async function echoWorkflow<T>(input: T): Promise<T> {
  return input;
}
