import { runAsProcess } from '../kit/run-as-process';
import { startSendGridEmulator, type SendGridEmulator } from './emulator';
import { signingKeyFrom } from './event-webhook';

/** The SendGrid emulator as a process (npm start, benchmarks). */
runAsProcess(
  () =>
    startSendGridEmulator({
      port: Number(process.env.SENDGRID_EMULATOR_PORT ?? 0),
      apiKey: process.env.SENDGRID_API_KEY || undefined,
      stateFile: process.env.EMULATOR_STATE_FILE || undefined,
      eventWebhookUrl: process.env.SENDGRID_EVENT_WEBHOOK_URL || undefined,
      eventSigningKey: process.env.SENDGRID_EMULATOR_EVENT_SIGNING_KEY
        ? signingKeyFrom(process.env.SENDGRID_EMULATOR_EVENT_SIGNING_KEY)
        : undefined,
    }),
  (emulator: SendGridEmulator) => [
    `SendGrid emulator: ${emulator.url}`,
    `Mail outbox: ${emulator.outboxUrl}`,
  ],
);
