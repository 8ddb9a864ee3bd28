import { startSendGridEmulator } from './emulator';

/** The SendGrid emulator as a process (npm start, benchmarks): prints its URLs, stops on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const emulator = await startSendGridEmulator({
    port: Number(process.env.SENDGRID_EMULATOR_PORT ?? 0),
    apiKey: process.env.SENDGRID_API_KEY || undefined,
    stateFile: process.env.EMULATOR_STATE_FILE || undefined,
  });
  process.stdout.write(`SendGrid emulator: ${emulator.url}\nMail outbox: ${emulator.outboxUrl}\n`);
  const stop = (): void => void emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
