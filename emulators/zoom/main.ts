import { startZoomEmulator } from './emulator';

/**
 * The Zoom emulator as a process (for `npm start` and the benchmarks). Prints
 * `Zoom emulator: <url>` once listening; stops cleanly on SIGINT or SIGTERM.
 */

function setting(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

function optionalNumber(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0)
    throw new Error(`${name} must be a non-negative number, got "${value}"`);
  return parsed;
}

async function main(): Promise<void> {
  const port = optionalNumber('ZOOM_EMULATOR_PORT') ?? 0;
  const emulator = await startZoomEmulator({
    port,
    host: process.env.ZOOM_EMULATOR_HOST || '127.0.0.1',
    clientId: setting('ZOOM_CLIENT_ID', 'zoom-emulator-client-id'),
    clientSecret: setting('ZOOM_CLIENT_SECRET', 'zoom-emulator-client-secret'),
    redirectUris: setting('ZOOM_REDIRECT_URI', 'http://127.0.0.1:3000/integrations/zoom/callback').split(','),
    webhookSecretToken: setting('ZOOM_WEBHOOK_SECRET_TOKEN', 'zoom-emulator-webhook-secret'),
    verificationToken: process.env.ZOOM_VERIFICATION_TOKEN || undefined,
    webhookUrl: process.env.ZOOM_WEBHOOK_URL || undefined,
    stateFile: process.env.EMULATOR_STATE_FILE || undefined,
    accessTokenTtlSeconds: optionalNumber('ZOOM_ACCESS_TOKEN_TTL_SECONDS'),
    dailyMeetingLimit: optionalNumber('ZOOM_DAILY_MEETING_LIMIT'),
    perSecondLimit: optionalNumber('ZOOM_PER_SECOND_LIMIT'),
  });
  process.stdout.write(`Zoom emulator: ${emulator.url}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Zoom emulator: error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Zoom emulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
