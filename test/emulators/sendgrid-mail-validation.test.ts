import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { startSendGridEmulator, type SendGridEmulator } from '../../emulators/sendgrid/emulator';
import { loadSpec, validateResponse } from '../support/openapi-validator';

/** The emulator refuses what SendGrid refuses in `content` and `attachments`, in SendGrid's error shape. */

let sendgrid: SendGridEmulator;
before(async () => {
  sendgrid = await startSendGridEmulator({ apiKey: 'SG.key' });
});
after(async () => sendgrid?.close());

const ICS = 'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n';
const text = { type: 'text/plain', value: 'plain' };
const html = { type: 'text/html', value: '<p>html</p>' };
const invite = { type: 'text/calendar; method=REQUEST', value: ICS };

async function send(extra: Record<string, unknown>) {
  const response = await fetch(`${sendgrid.apiBaseUrl}/v3/mail/send`, {
    method: 'POST',
    headers: { authorization: 'Bearer SG.key', 'content-type': 'application/json' },
    body: JSON.stringify({
      personalizations: [{ to: [{ email: 'sam@example.com' }] }],
      from: { email: 'lessons@example.com' },
      subject: 'Invite',
      ...extra,
    }),
  });
  const body = response.status === 400 ? ((await response.json()) as { errors: unknown[] }) : undefined;
  return { status: response.status, body };
}

test('a text/calendar; method=… part after text and HTML is accepted and kept in the outbox', async () => {
  const { status } = await send({ content: [text, html, invite] });
  assert.equal(status, 202);
  const [last] = sendgrid.outbox().slice(-1);
  assert.equal(last?.text, 'plain');
  assert.deepEqual(last?.alternatives, [invite]);
  const page = await (await fetch(`${sendgrid.outboxUrl}/${last?.id}`)).text();
  assert.match(page, /text\/calendar; method=REQUEST/);
  assert.match(page, /METHOD:REQUEST/);
});

test("parameters in a MIME type (other than the invite's method) are refused: 400 on the field", async () => {
  const sendgridSpec = loadSpec(resolve(__dirname, '../../specs/sendgrid-mail-v3.openapi.json'));
  const attachment = { content: Buffer.from(ICS).toString('base64'), filename: 'lesson.ics' };
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [
      { content: [text, html], attachments: [{ ...attachment, type: 'text/calendar; method=REQUEST' }] },
      'attachments.0.type',
      /attachment type cannot contain ';'/,
    ],
    [
      { content: [text, html, { ...invite, type: 'text/calendar; charset="UTF-8"; method=REQUEST' }] },
      'content.2.type',
      /content type cannot contain ';'/,
    ],
    [{ content: [text, { type: 'text/html\r\nX-Injected: 1', value: 'x' }] }, 'content.1.type', /CRLF/],
    [
      { content: [text, html], attachments: [{ type: 'application/ics' }] },
      'attachments.0.content',
      /required/,
    ],
    [{ content: [html, text] }, 'content', /text\/plain content type must be first/],
    [{ content: [text, invite, html] }, 'content', /followed by text\/html/],
  ];
  for (const [body, field, message] of cases) {
    const answer = await send(body);
    assert.equal(answer.status, 400, field);
    const errors = answer.body?.errors as Array<{ field: string; message: string }>;
    assert.ok(
      errors.some((e) => e.field === field && message.test(e.message)),
      `${field}: ${JSON.stringify(errors)}`,
    );
    assert.deepEqual(validateResponse(sendgridSpec, 'post', '/v3/mail/send', 400, answer.body), []);
  }
  assert.equal(
    (await send({ content: [text, html], attachments: [{ ...attachment, type: 'application/ics' }] })).status,
    202,
  );
});
