import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSendGridEmulator, type SendGridEmulator } from '../../emulators/sendgrid/emulator';
import { createSendGridMailer } from '../../src/providers/sendgrid/mailer';
import { lessonEmail, type LessonEvent } from '../../src/services/email/lesson-emails';
import type { Lesson } from '../../src/lessons/types';

/** Lesson emails carry their invitation as a body part Outlook and Gmail act on, and as a file. */

const FROM = 'lessons@example.com';
let sendgrid: SendGridEmulator;
before(async () => {
  sendgrid = await startSendGridEmulator({ apiKey: 'SG.key', verifiedSenders: [FROM] });
});
after(async () => sendgrid?.close());

const lesson: Lesson = {
  id: 'lesson-7',
  title: 'Algebra',
  startsAt: new Date('2026-05-04T15:00:00Z'),
  endsAt: new Date('2026-05-04T16:00:00Z'),
  tutor: { id: 't', email: 'tutor@example.com', name: 'Ada', timeZone: 'Europe/London' },
  student: { id: 's', email: 'sam@example.com', name: 'Sam', timeZone: 'Europe/London' },
};

async function sentBody(event: LessonEvent) {
  const mailer = createSendGridMailer({
    apiKey: 'SG.key',
    baseUrl: sendgrid.apiBaseUrl,
    from: { email: FROM, name: 'Lessons' },
    sandbox: false,
    timeoutMs: 2000,
  });
  const message = lessonEmail({
    lesson,
    event,
    version: 3,
    recipient: 'student',
    joinUrl: 'https://lessons.example.com/j/1',
    providerLabel: 'Zoom',
    from: { email: FROM },
    now: new Date('2026-05-01T00:00:00Z'),
  });
  await mailer.send(message);
  const request = sendgrid.requests.find({ method: 'POST' }).at(-1);
  assert.equal(request?.status, 202, request?.body);
  return JSON.parse(request?.body ?? '{}') as {
    content: Array<{ type: string; value: string }>;
    attachments: Array<{ filename: string; type: string; content: string; disposition: string }>;
  };
}

for (const [event, method] of [
  ['booked', 'REQUEST'],
  ['rescheduled', 'REQUEST'],
  ['moved-to-daily', 'REQUEST'],
  ['cancelled', 'CANCEL'],
] as const) {
  test(`${event}: a text/calendar; method=${method} body part after text and HTML, and lesson.ics, both the same ICS`, async () => {
    const body = await sentBody(event);
    assert.deepEqual(
      body.content.map((c) => c.type),
      ['text/plain', 'text/html', `text/calendar; method=${method}`],
    );
    const ics = body.content[2]!.value;
    assert.match(ics, new RegExp(`^BEGIN:VCALENDAR\\r\\n[\\s\\S]*\\r\\nMETHOD:${method}\\r\\n`));
    assert.match(ics, /\r\nUID:lesson-lesson-7@tutor-meetings\r\n/);
    assert.equal(body.attachments.length, 1);
    const [file] = body.attachments;
    assert.deepEqual(
      { filename: file?.filename, type: file?.type, disposition: file?.disposition },
      { filename: 'lesson.ics', type: 'application/ics', disposition: 'attachment' },
    );
    assert.equal(Buffer.from(file?.content ?? '', 'base64').toString('utf8'), ics);
    for (const part of [...body.content.map((c) => c.type), file?.type ?? ''])
      assert.doesNotMatch(part.replace(/^text\/calendar; method=[A-Z]+$/, ''), /[;\r\n]/);
  });
}
