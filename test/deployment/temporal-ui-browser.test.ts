import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { lessonWorkflowId } from '../../src/lessons/ids';
import { ENCRYPTED_ENCODING } from '../../src/temporal/payload-codec';
import { ReconnectionOutcome } from '../../src/temporal/search-attributes';
import { localCodecOrigins } from '../../scripts/lib/stack-settings';
import { api, booking, waitFor } from '../lessons/lesson-helpers';
import { chromiumSkip, launchChromium } from '../support/chromium';
import { pngSize } from '../support/screenshots/png';
import {
  FAILED_RECONNECTIONS_QUERY,
  runReconnectionOutcomes,
} from '../support/screenshots/reconnection-outcomes';
import { screenshotWorkflowList } from '../support/screenshots/temporal-ui';
import { startTestStack, type TestStack } from '../support/stack';

const root = resolve(__dirname, '../..');
const uiUrl = process.env.TEST_TEMPORAL_UI_URL;
const skip =
  chromiumSkip() ??
  (uiUrl
    ? undefined
    : 'No Temporal UI: TEST_TEMPORAL_UI_URL is empty (the suite uses an external TEMPORAL_ADDRESS, or this file runs alone); `npm test` starts the dev server with its UI');

const dir = mkdtempSync(join(tmpdir(), 'temporal-ui-'));
let stack: TestStack | undefined;
let browser: Browser | undefined;
before(async () => {
  // The codec server as `npm start` sets it up for its UI: open on loopback, CORS for the UI's origin.
  const codec = {
    CODEC_OPEN_ON_LOOPBACK: 'true',
    CODEC_CORS_ORIGINS: localCodecOrigins({}, uiUrl ?? 'http://x'),
  };
  if (!skip) [stack, browser] = await Promise.all([startTestStack({ env: codec }), launchChromium()]);
});
after(async () => {
  await Promise.all([browser?.close(), stack?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

test(
  'Chromium on the Temporal UI with the README filter lists the failed and the deleted reconnection, not the reminder',
  { skip, timeout: 180_000 },
  async () => {
    const runs = await runReconnectionOutcomes(stack!);
    assert.equal(runs.sagasStarted, 3, 'one saga per failing token; the valid token has none');
    const outcome = (run: typeof runs.failed) => [
      run.status.name,
      run.typedSearchAttributes.get(ReconnectionOutcome),
    ];
    assert.deepEqual(outcome(runs.failed), ['FAILED', 'failed']);
    assert.deepEqual(outcome(runs.deleted), ['COMPLETED', 'deleted']);
    assert.deepEqual(outcome(runs.reminded), ['COMPLETED', 'reminded']);

    const file = join(dir, 'temporal-ui-failed-reconnections.png');
    const listed = await screenshotWorkflowList(browser!, {
      uiUrl: uiUrl as string,
      namespace: stack!.temporal.namespace,
      query: FAILED_RECONNECTIONS_QUERY,
      expectIds: [runs.failed.workflowId, runs.deleted.workflowId],
      file,
    });
    assert.ok(listed.includes(runs.failed.workflowId), 'the failed saga is listed');
    assert.ok(listed.includes(runs.deleted.workflowId), 'the deleted saga is listed');
    assert.ok(!listed.includes(runs.reminded.workflowId), 'a reminder is not a failure: filtered out');
    assert.match(listed, /Failed/, 'the UI shows the status');
    assert.equal(pngSize(file).width, 1440);
  },
);

/** A workflow's page in the UI, once it shows the workflow, with or without a codec server. */
async function workflowPage(workflowId: string, runId: string, codecEndpoint?: string): Promise<Page> {
  const page = await browser!.newPage({ viewport: { width: 1440, height: 2400 } });
  // What the UI's "Codec Server" setting stores in the browser; the runner's dev server has none.
  if (codecEndpoint)
    await page.addInitScript(
      `localStorage.setItem('endpoint', ${JSON.stringify(JSON.stringify(codecEndpoint))})`,
    );
  const path = `namespaces/${stack!.temporal.namespace}/workflows/${encodeURIComponent(workflowId)}/${runId}/history`;
  await page.goto(`${(uiUrl as string).replace(/\/$/, '')}/${path}`, { waitUntil: 'load' });
  await page.getByText(workflowId).first().waitFor({ timeout: 30_000 });
  return page;
}

test(
  "Chromium on the Temporal UI shows a lesson's input decoded through the API's codec server, and only through it",
  { skip, timeout: 120_000 },
  async () => {
    const b = booking();
    assert.equal((await api(stack!).book(b)).status, 202);
    const handle = stack!.temporal.client.workflow.getHandle(lessonWorkflowId(b.id));
    const { runId } = await waitFor('the lesson started', () => handle.describe().catch(() => undefined));

    const decoded = await workflowPage(handle.workflowId, runId, `${stack!.api.url}/codec`);
    try {
      await decoded.getByText(b.student.email).first().waitFor({ timeout: 30_000 });
    } finally {
      await decoded.close();
    }
    const encrypted = await workflowPage(handle.workflowId, runId);
    try {
      // Undecoded, the UI shows the payload as stored: its metadata in base64, the data sealed.
      const encoding = Buffer.from(ENCRYPTED_ENCODING).toString('base64');
      await encrypted.getByText(encoding).first().waitFor({ timeout: 30_000 });
      assert.ok(!(await encrypted.content()).includes(b.student.email), 'without the codec, no email shows');
    } finally {
      await encrypted.close();
    }
  },
);

test('the README shows that filter and the three screenshots, which exist', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  assert.ok(readme.includes(FAILED_RECONNECTIONS_QUERY), 'the README filter is the one the browser checks');
  assert.match(readme, /npm run docs:screenshots/);
  for (const image of [
    'temporal-ui-failed-reconnections.png',
    'email-lesson-booked.png',
    'email-reconnect-zoom.png',
  ]) {
    assert.ok(readme.includes(`docs/images/${image}`), `the README shows ${image}`);
    assert.ok(pngSize(join(root, 'docs/images', image)).width > 0, `${image} is a PNG`);
    assert.ok(existsSync(join(root, 'docs/images', image)));
  }
});
