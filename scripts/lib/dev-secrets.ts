import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKey } from '../../src/crypto/key-ring';
import { newSigningKey } from '../../emulators/sendgrid/event-webhook';

/**
 * The embedded stack's secrets, generated once and kept under the ignored data folder, so that
 * encrypted tokens, signed links and emulator credentials survive a restart of `npm start`.
 * A variable set in the environment always wins.
 */
const generators: Record<string, () => string> = {
  TOKEN_ENCRYPTION_KEY: generateKey,
  PAYLOAD_ENCRYPTION_KEY: generateKey,
  PLATFORM_JWT_SECRET: () => randomBytes(32).toString('base64url'),
  BOOKING_API_TOKEN: () => randomBytes(24).toString('base64url'),
  LINK_SIGNING_SECRET: () => randomBytes(32).toString('base64url'),
  ZOOM_WEBHOOK_SECRET_TOKEN: () => randomBytes(16).toString('hex'),
  ZOOM_CLIENT_ID: () => `dev-${randomBytes(8).toString('hex')}`,
  ZOOM_CLIENT_SECRET: () => randomBytes(24).toString('base64url'),
  DAILY_API_KEY: () => randomBytes(24).toString('hex'),
  SENDGRID_API_KEY: () =>
    `SG.${randomBytes(11).toString('base64url')}.${randomBytes(32).toString('base64url')}`,
  SENDGRID_EMULATOR_EVENT_SIGNING_KEY: newSigningKey,
  PLATFORM_WEBHOOK_SECRET: () => `whsec_${randomBytes(32).toString('base64')}`,
};

export function loadDevSecrets(dataDir: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const file = join(dataDir, 'secrets.json');
  const stored: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  let changed = false;
  for (const [name, generate] of Object.entries(generators)) {
    if (!stored[name]) {
      stored[name] = generate();
      changed = true;
    }
  }
  if (changed) writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  return Object.fromEntries(Object.entries(stored).map(([k, v]) => [k, env[k] || v]));
}
