/** Runs an emulator as its own process: prints its URL lines, and closes it on SIGINT/SIGTERM. */
export function runAsProcess(
  start: () => Promise<{ close(): Promise<void> }>,
  describe: (emulator: never) => string[],
): void {
  start()
    .then((emulator) => {
      process.stdout.write(`${describe(emulator as never).join('\n')}\n`);
      const stop = (): void => void emulator.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
