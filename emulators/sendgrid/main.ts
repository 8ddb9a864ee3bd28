import { runAsProcess } from '../kit/run-as-process';
import { startSendGridEmulator, type SendGridEmulator } from './emulator';

/** The SendGrid emulator as a process (npm start, benchmarks). */
runAsProcess(
  () =>
    startSendGridEmulator({
      port: Number(process.env.SENDGRID_EMULATOR_PORT ?? 0),
      apiKey: process.env.SENDGRID_API_KEY || undefined,
      stateFile: process.env.EMULATOR_STATE_FILE || undefined,
    }),
  (emulator: SendGridEmulator) => [
    `SendGrid emulator: ${emulator.url}`,
    `Mail outbox: ${emulator.outboxUrl}`,
  ],
);
