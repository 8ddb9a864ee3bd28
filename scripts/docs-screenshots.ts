import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/support/chromium';
import { emailSamples, renderEmailPng } from '../test/support/screenshots/emails';
import {
  FAILED_RECONNECTIONS_QUERY,
  runReconnectionOutcomes,
} from '../test/support/screenshots/reconnection-outcomes';
import { screenshotWorkflowList } from '../test/support/screenshots/temporal-ui';
import { startTestStack } from '../test/support/stack';
import { canConnect, MACHINE_POSTGRES_URL, startEmbeddedPostgres } from './lib/postgres';
import { describeCli, resolveTemporalCli } from './lib/temporal-cli';
import { startTemporalDevServer } from './lib/temporal-dev-server';

/**
 * `npm run docs:screenshots`: refreshes the images the README shows, in docs/images/, with the
 * rendering code the browser tests assert on (the tests render into a temporary folder instead).
 * The Temporal UI picture needs a real run: a dev server with its UI, PostgreSQL, the worker and a
 * sweep whose saga fails at its day's end, about a minute. `--emails-only` skips that part.
 */
const root = resolve(__dirname, '..');
const outDir = join(root, 'docs/images');
const log = (line: string): void => void process.stderr.write(`[docs:screenshots] ${line}\n`);
const wrote = (file: string): void => log(`wrote ${relative(root, file)}`);

async function renderEmails(browser: Browser): Promise<void> {
  for (const sample of await emailSamples()) {
    if (!sample.docsImage) continue;
    const file = join(outDir, sample.docsImage);
    const rendered = await renderEmailPng(browser, sample, file);
    if (!rendered.action.visible || rendered.action.href !== sample.action.url)
      throw new Error(`${sample.name}: the "${sample.action.label}" button is not shown as expected`);
    wrote(file);
  }
}

/** PostgreSQL (the machine's, else an embedded one) and a Temporal dev server with its UI, for `work`. */
async function withServices(work: (uiUrl: string) => Promise<void>): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'docs-screenshots-'));
  chmodSync(scratch, 0o755); // an embedded PostgreSQL runs as its own user when we are root
  const cleanups: Array<() => Promise<void>> = [];
  try {
    if (!process.env.TEST_PG_ADMIN_URL && !(await canConnect(MACHINE_POSTGRES_URL))) {
      const pg = await startEmbeddedPostgres(join(scratch, 'pg'));
      cleanups.push(() => pg.stop());
      process.env.TEST_PG_ADMIN_URL = pg.adminUrl;
    }
    const cli = await resolveTemporalCli(process.env, log);
    log(describeCli(cli));
    const server = await startTemporalDevServer({ cliPath: cli.path, namespace: 'default' });
    cleanups.push(() => server.stop());
    // The test stack reads these: a fresh server of our own, whatever the shell points at.
    process.env.TEMPORAL_ADDRESS = server.address;
    process.env.TEMPORAL_NAMESPACE = 'default';
    await work(server.uiUrl as string);
  } finally {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((e: unknown) => log(`cleanup: ${String(e)}`));
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function renderTemporalUi(browser: Browser): Promise<void> {
  await withServices(async (uiUrl) => {
    const stack = await startTestStack();
    try {
      log(
        'a sweep with a saga that fails at its day’s end, one that deletes and one that reminds (about a minute)…',
      );
      const runs = await runReconnectionOutcomes(stack);
      const file = join(outDir, 'temporal-ui-failed-reconnections.png');
      await screenshotWorkflowList(browser, {
        uiUrl,
        namespace: stack.temporal.namespace,
        query: FAILED_RECONNECTIONS_QUERY,
        expectIds: [runs.failed.workflowId, runs.deleted.workflowId],
        file,
      });
      wrote(file);
    } finally {
      await stack.close();
    }
  });
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const browser = await launchChromium();
  try {
    await renderEmails(browser);
    if (!process.argv.includes('--emails-only')) await renderTemporalUi(browser);
  } finally {
    await browser.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
