import { join, resolve } from 'node:path';
import { SignJWT } from 'jose';
import { loadDevSecrets } from './lib/dev-secrets';
import { setting } from './lib/stack-settings';

/**
 * Plays the platform's backend against a running `npm start`, to walk the Zoom connect flow by hand:
 *   npm run connect-zoom -- <tutorId>                    prints a connect session URL to open in a browser
 *   npm run connect-zoom -- <tutorId> --confirm <grant>  confirms the grant from ?zoom=pending&grant=
 * (the second only when PLATFORM_REDIRECT_URL is set; without it the API's own page asks instead).
 */
const root = resolve(__dirname, '..');

async function main(): Promise<void> {
  const [tutorId, flag, grant] = process.argv.slice(2);
  if (!tutorId || (flag !== undefined && (flag !== '--confirm' || !grant))) {
    process.stderr.write('usage: npm run connect-zoom -- <tutorId> [--confirm <grant code>]\n');
    process.exit(64);
  }
  const dataDir = resolve(setting(process.env, 'DATA_DIR') ?? join(root, '.data'));
  const { PLATFORM_JWT_SECRET } = loadDevSecrets(dataDir, process.env);
  const api =
    setting(process.env, 'PUBLIC_BASE_URL') ?? `http://127.0.0.1:${setting(process.env, 'PORT') ?? 3000}`;
  // What the platform signs for its logged-in user: short-lived, HS256, `sub` = the user id.
  const jwt = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(tutorId)
    .setIssuedAt()
    .setExpirationTime('2m')
    .sign(new TextEncoder().encode(PLATFORM_JWT_SECRET));
  const path = grant
    ? `/integrations/zoom/grants/${encodeURIComponent(grant)}/confirm`
    : '/integrations/zoom/connect-sessions';
  const res = await fetch(`${api}${path}`, { method: 'POST', headers: { authorization: `Bearer ${jwt}` } });
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) {
    process.stderr.write(`${res.status} ${JSON.stringify(body)}\n`);
    process.exit(1);
  }
  process.stdout.write(
    grant
      ? `${JSON.stringify(body)}\n`
      : `Open in the tutor's browser (once, within 10 minutes):\n${String(body.url)}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
