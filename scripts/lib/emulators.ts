import { join, resolve } from 'node:path';
import { signingKeyFrom, verificationKeyOf } from '../../emulators/sendgrid/event-webhook';
import { allStarted } from './all-started';
import { startServiceProcess, type Started } from './child-process';

/**
 * The provider emulators of the embedded stacks (`npm start`, `npm run cluster`): one for each
 * provider whose base URL is unset, with its state in the data folder, and the settings that
 * point the service at it.
 */
const root = resolve(__dirname, '../..');

/** `npm start`'s fixed ports, unless set. */
export const DEFAULT_EMULATOR_PORTS = {
  ZOOM_EMULATOR_PORT: 4010,
  DAILY_EMULATOR_PORT: 4020,
  SENDGRID_EMULATOR_PORT: 4030,
  PLATFORM_EMULATOR_PORT: 4040,
} as const;
type EmulatorPortName = keyof typeof DEFAULT_EMULATOR_PORTS;

export interface EmulatorOptions {
  dataDir: string;
  /** The port of each emulator (ZOOM_EMULATOR_PORT …). */
  port: (name: EmulatorPortName) => number;
  publicBaseUrl: string;
  /** Registers each started emulator's stop as soon as it runs. */
  onStarted: (stop: () => Promise<void>) => void;
}

export interface StartedEmulators {
  urls: { Zoom?: string; Daily?: string; SendGrid?: string; Platform?: string };
  /** The base URLs (and SendGrid's event key) that point the service at the emulators. */
  env: Record<string, string>;
}

async function startEmulator(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  options: EmulatorOptions,
): Promise<string> {
  const started: Started & { match: RegExpMatchArray } = await startServiceProcess(
    join(root, entry),
    { ...env, EMULATOR_STATE_FILE: join(options.dataDir, `${name.toLowerCase()}-emulator.json`) },
    new RegExp(`${name} emulator: (\\S+)`),
  );
  options.onStarted(() => started.stop());
  return started.match[1] as string;
}

export async function startEmulators(
  env: NodeJS.ProcessEnv,
  options: EmulatorOptions,
): Promise<StartedEmulators> {
  const urls: StartedEmulators['urls'] = {};
  const settings: Record<string, string> = {};
  await allStarted([
    !env.ZOOM_API_BASE_URL &&
      startEmulator(
        'Zoom',
        'emulators/zoom/main.ts',
        {
          ...env,
          ZOOM_EMULATOR_PORT: String(options.port('ZOOM_EMULATOR_PORT')),
          ZOOM_WEBHOOK_URL: `${options.publicBaseUrl}/webhooks/zoom`,
        },
        options,
      ).then((url) => {
        urls.Zoom = url;
        settings.ZOOM_OAUTH_BASE_URL = url;
        settings.ZOOM_API_BASE_URL = `${url}/v2`;
      }),
    !env.DAILY_API_BASE_URL &&
      startEmulator(
        'Daily',
        'emulators/daily/main.ts',
        { ...env, DAILY_EMULATOR_PORT: String(options.port('DAILY_EMULATOR_PORT')) },
        options,
      ).then((url) => {
        urls.Daily = url;
        settings.DAILY_API_BASE_URL = `${url}/v1`;
      }),
    !env.SENDGRID_API_BASE_URL &&
      startEmulator(
        'SendGrid',
        'emulators/sendgrid/main.ts',
        {
          ...env,
          SENDGRID_EMULATOR_PORT: String(options.port('SENDGRID_EMULATOR_PORT')),
          SENDGRID_EVENT_WEBHOOK_URL: `${options.publicBaseUrl}/webhooks/sendgrid`,
        },
        options,
      ).then((url) => {
        urls.SendGrid = url;
        settings.SENDGRID_API_BASE_URL = url;
        settings.SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY = verificationKeyOf(
          signingKeyFrom(env.SENDGRID_EMULATOR_EVENT_SIGNING_KEY ?? ''),
        );
      }),
    // The platform's end of the events, unless the real platform is set.
    !env.PLATFORM_WEBHOOK_URL &&
      startEmulator(
        'Platform',
        'emulators/platform/main.ts',
        { ...env, PLATFORM_EMULATOR_PORT: String(options.port('PLATFORM_EMULATOR_PORT')) },
        options,
      ).then((url) => {
        urls.Platform = url;
        settings.PLATFORM_WEBHOOK_URL = `${url}/events`;
      }),
  ]);
  return { urls, env: settings };
}

/** What `npm start` and `npm run cluster` print, one labelled line each, in this order. */
export function stackLines(urls: {
  apis: string[];
  temporal: string;
  temporalUi: string;
  emulators: StartedEmulators['urls'];
}): string[] {
  const { Zoom, Daily, SendGrid, Platform } = urls.emulators;
  return [
    ...urls.apis.map((url, i) => `${i === 0 ? 'API' : `API ${i + 1}`}: ${url}`),
    `Temporal: ${urls.temporal}`,
    `Temporal UI: ${urls.temporalUi}`,
    `Mail outbox: ${SendGrid ? `${SendGrid}/outbox` : '(real SendGrid)'}`,
    `Zoom emulator: ${Zoom ?? '(real Zoom)'}`,
    `Daily emulator: ${Daily ?? '(real Daily.co)'}`,
    `SendGrid emulator: ${SendGrid ?? '(real SendGrid)'}`,
    `Platform events: ${Platform ? `${Platform}/events` : '(the platform, PLATFORM_WEBHOOK_URL)'}`,
  ];
}
