import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser as Chromium } from 'playwright-core';
import { Browser } from '../support/browser';
import { approveAtZoom, connectSessionUrl } from '../support/connect-zoom';
import { chromiumSkip, launchChromium } from '../support/chromium';
import { RecordingRevocations } from '../support/recording-revocations';
import { useTestStack } from '../support/use-test-stack';

/** `npm start` without PLATFORM_REDIRECT_URL: the callback asks on a page of its own. */
const revocations = new RecordingRevocations();
const stack = useTestStack({
  worker: false,
  env: { PLATFORM_REDIRECT_URL: '' },
  grantRevocations: revocations,
});
let chromium: Chromium | undefined;
const skip = chromiumSkip();
before(async () => void (chromium = skip ? undefined : await launchChromium()));
after(async () => chromium?.close());

const connected = (tutorId: string) => stack.container.services.tokenService.isZoomConnected(tutorId);

/** Opens a fresh session in Chromium as far as the confirmation page. */
async function openPage(tutorId: string, zoomEmail: string) {
  const zoomUser = stack.zoom.createUser({ email: zoomEmail });
  stack.zoom.setConsent({ decision: 'approve', userId: zoomUser.id, for: 'next' });
  const context = await chromium!.newContext();
  const page = await context.newPage();
  const answer = await page.goto(await connectSessionUrl(stack, tutorId));
  assert.equal(answer?.status(), 200);
  return { page, context, answer: answer!, zoomUserId: zoomUser.id };
}

test(
  'Chromium: the page names both accounts, is plain and accessible, and Confirm connects',
  { skip },
  async () => {
    await stack.database
      .db('users')
      .insert({ id: 'tutor-page', email: 'page@tutors.example', name: 'Page Tutor' });
    const { page, context, answer } = await openPage('tutor-page', 'page@zoom.example.com');
    try {
      const csp = answer.headers()['content-security-policy'] ?? '';
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /form-action 'self'/);
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.equal(await page.textContent('h1'), 'Connect this Zoom account?');
      assert.equal(await page.textContent('#zoom-account'), 'page@zoom.example.com');
      assert.equal(await page.textContent('#tutor-account'), 'Page Tutor (page@tutors.example)');
      assert.equal(await page.locator('link, script, img, iframe').count(), 0, 'no external resources');
      await page.getByRole('button', { name: 'Confirm' }).click();
      await page.waitForSelector('text=Zoom is connected');
      assert.equal(await connected('tutor-page'), true);
      assert.deepEqual(revocations.standing(), [], 'the deferred revocation was withdrawn');
    } finally {
      await context.close();
    }
  },
);

test('Chromium: Cancel stores nothing', { skip }, async () => {
  const { page, context, zoomUserId } = await openPage('tutor-cancel', 'cancel@zoom.example.com');
  try {
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForSelector('text=Zoom was not connected');
    assert.equal(await connected('tutor-cancel'), false);
    assert.ok(revocations.standing().includes(`pending_expired:${zoomUserId}`), 'revoked when it expires');
  } finally {
    await context.close();
  }
});

test("the page's form is refused from another origin, without the flow's cookie, or with a forged token", async () => {
  const zoomUser = stack.zoom.createUser({ email: 'forged@zoom.example.com' });
  const { browser, landing } = await approveAtZoom(
    stack,
    await connectSessionUrl(stack, 'tutor-forged'),
    zoomUser.id,
  );
  const html = await landing.text();
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? '';
  const form = { grant: field('grant'), formToken: field('formToken'), decision: 'confirm' };
  assert.ok(form.grant && form.formToken);
  const post = (b: Browser, origin: string, fields: Record<string, string>) =>
    b.post(`${stack.api.url}/integrations/zoom/confirmation`, new URLSearchParams(fields).toString(), {
      origin,
      'content-type': 'application/x-www-form-urlencoded',
    });

  const origin = new URL(stack.env.PUBLIC_BASE_URL).origin;
  assert.equal((await post(browser, 'https://evil.example', form)).status, 403);
  assert.equal((await post(new Browser(), origin, form)).status, 403, "without the flow's cookie");
  assert.equal((await post(browser, origin, { ...form, formToken: 'x'.repeat(43) })).status, 403);
  assert.equal(await connected('tutor-forged'), false);
  const ok = await post(browser, origin, form);
  assert.equal(ok.status, 200, 'the real form still works');
  assert.equal(await connected('tutor-forged'), true);
});
