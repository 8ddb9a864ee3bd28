import type { Browser, Page } from 'playwright-core';

export interface WorkflowListShot {
  uiUrl: string;
  namespace: string;
  /** A visibility query, as typed into the UI's filter. */
  query: string;
  /** Workflow ids that must be listed before the picture is taken. */
  expectIds: string[];
  file: string;
  timeoutMs?: number;
}

/** The UI's workflow list for a namespace, filtered by a visibility query. */
export function workflowListUrl(uiUrl: string, namespace: string, query: string): string {
  const url = new URL(`${uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows`);
  url.searchParams.set('query', query);
  return url.toString();
}

async function listedText(page: Page): Promise<string> {
  // The list is a table once results arrive; until then the UI shows a loading or empty state.
  await page
    .locator('table tbody tr, :text("No Workflows")')
    .first()
    .waitFor({ timeout: 15_000 })
    .catch(() => undefined);
  return page.locator('main').first().innerText();
}

/**
 * Opens the Temporal UI's workflow list with the query in Chromium, reloading until every
 * expected workflow id is listed (visibility is eventually consistent), then saves a screenshot.
 * Resolves with the list's text, so callers can check what is and is not listed.
 */
export async function screenshotWorkflowList(browser: Browser, shot: WorkflowListShot): Promise<string> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 480 }, deviceScaleFactor: 1 });
  const deadline = Date.now() + (shot.timeoutMs ?? 30_000);
  try {
    let text = '';
    for (;;) {
      await page.goto(workflowListUrl(shot.uiUrl, shot.namespace, shot.query), { waitUntil: 'load' });
      text = await listedText(page);
      const missing = shot.expectIds.filter((id) => !text.includes(id));
      if (missing.length === 0) break;
      if (Date.now() > deadline)
        throw new Error(`the Temporal UI did not list ${missing.join(', ')}; it showed:\n${text}`);
      await page.waitForTimeout(1000);
    }
    await page.screenshot({ path: shot.file });
    return text;
  } finally {
    await page.close();
  }
}
