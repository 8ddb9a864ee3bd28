import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { chromiumSkip, launchChromium } from '../support/chromium';
import { emailSamples, renderEmailPng } from '../support/screenshots/emails';
import { pngSize } from '../support/screenshots/png';

const skip = chromiumSkip();
const dir = mkdtempSync(join(tmpdir(), 'email-screenshots-'));
let browser: Browser | undefined;
before(async () => {
  if (!skip) browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

test(
  'the LessonBooked and ReconnectZoom emails render in Chromium with their button visible',
  { skip },
  async () => {
    const samples = await emailSamples();
    assert.deepEqual(
      samples.map((s) => s.name),
      ['lesson-booked-student', 'lesson-booked-tutor', 'reconnect-zoom'],
    );
    for (const sample of samples) {
      const file = join(dir, `${sample.name}.png`);
      const rendered = await renderEmailPng(browser!, sample, file);
      assert.equal(rendered.heading, sample.message.subject, `${sample.name}: the subject is the heading`);
      assert.equal(rendered.action.visible, true, `${sample.name}: "${sample.action.label}" is visible`);
      assert.equal(rendered.action.href, sample.action.url, `${sample.name}: the button leads to the link`);
      assert.ok(
        (rendered.action.box?.height ?? 0) >= 30,
        `${sample.name}: the button is padded like a button`,
      );
      assert.doesNotMatch(
        rendered.text,
        /&amp;|&lt;|undefined|NaN/,
        `${sample.name}: no raw entities or gaps`,
      );
      const size = pngSize(file);
      assert.equal(size.width, 640);
      assert.ok(size.height >= 300, `${sample.name}: the whole email is in the image (${size.height}px)`);
    }
  },
);

test('the rendered LessonBooked shows the lesson in each reader’s time zone', { skip }, async () => {
  const samples = await emailSamples();
  const byName = new Map(samples.map((s) => [s.name, s]));
  const student = await renderEmailPng(browser!, byName.get('lesson-booked-student')!, join(dir, 's.png'));
  const tutor = await renderEmailPng(browser!, byName.get('lesson-booked-tutor')!, join(dir, 't.png'));
  assert.match(student.text, /Hi Sam Carter,/);
  assert.match(student.text, /Tutor\s+María López/);
  assert.match(student.text, /12:00/, '16:00 UTC is 12:00 in New York (daylight saving time from 8 March)');
  assert.match(tutor.text, /Hi María López,/);
  assert.match(tutor.text, /Student\s+Sam Carter/);
  assert.match(tutor.text, /17:00/, '16:00 UTC is 17:00 in Madrid');
  assert.match(tutor.text, /takes place on Zoom/);
});
