/** Temporal's own ceiling on this machine: a workflow that does nothing. */
export async function emptyWorkflow(): Promise<void> {
  // nothing: one workflow task to start and complete
}
