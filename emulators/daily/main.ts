import { startDailyEmulator } from './emulator';

/** The Daily.co emulator as a process (npm start, benchmarks): prints its URL, stops on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const emulator = await startDailyEmulator({
    port: Number(process.env.DAILY_EMULATOR_PORT ?? 0),
    apiKey: process.env.DAILY_API_KEY || undefined,
    stateFile: process.env.EMULATOR_STATE_FILE || undefined,
  });
  process.stdout.write(`Daily emulator: ${emulator.url}\n`);
  const stop = (): void => void emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
