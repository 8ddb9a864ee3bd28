import { isExecutable, onPath } from '../../scripts/lib/executables';
import { chromium, type Browser } from 'playwright-core';

/**
 * Headless Chromium for the browser checks: Debian's `chromium` package (never a downloaded
 * browser), or CHROMIUM_PATH. Tests skip with this message when there is none.
 */
export const CHROMIUM_MISSING =
  'Chromium is not installed: apt-get install chromium (Debian package), or set CHROMIUM_PATH';

// Without the background-networking flags Chromium dials Google at start; on an offline machine those
// connections are refused and slow everything down. --no-sandbox because tests may run as root.
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** CHROMIUM_PATH when set (and nothing else then), else `chromium` on PATH, else Debian's path. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return isExecutable(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  return onPath('chromium', env) ?? (isExecutable('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
}

/** For `test(name, { skip: chromiumSkip() }, …)`: the install hint when Chromium is missing. */
export function chromiumSkip(): string | undefined {
  return chromiumPath() ? undefined : CHROMIUM_MISSING;
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(CHROMIUM_MISSING);
  return chromium.launch({ executablePath, args: LAUNCH_ARGS, timeout: 60_000 });
}
