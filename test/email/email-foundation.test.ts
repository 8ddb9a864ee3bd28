import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildIcs } from '../../src/services/email/ics';
import { escapeHtml, renderEmail } from '../../src/services/email/layout';
import { formatInTimeZone } from '../../src/services/email/format-time';

test('the layout escapes HTML and has a plain-text twin', () => {
  const { html, text } = renderEmail({
    title: 'Lesson <booked>',
    greeting: 'Hi Ada,',
    paragraphs: ['x & y'],
    details: [['When', 'Tuesday']],
    actions: [{ label: 'Join', url: 'https://example.com/j?a=1&b=2' }],
  });
  assert.match(html, /Lesson &lt;booked&gt;/);
  assert.match(html, /href="https:\/\/example.com\/j\?a=1&amp;b=2"/);
  assert.match(text, /Join: https:\/\/example.com\/j\?a=1&b=2/);
  assert.equal(escapeHtml(`"'`), '&quot;&#39;');
});

test('times are shown in the recipient time zone', () => {
  const date = new Date('2026-11-24T08:30:00Z');
  assert.match(formatInTimeZone(date, 'Europe/Paris'), /09:30 \(Europe\/Paris\)/);
  assert.match(formatInTimeZone(date, 'Not/AZone'), /08:30 \(UTC\)/);
});

test('ics invites carry a stable UID, the sequence and the method, folded at 75 octets', () => {
  const ics = buildIcs({
    uid: 'lesson-1@tutor-meetings',
    sequence: 2,
    method: 'CANCEL',
    start: new Date('2026-11-24T08:30:00Z'),
    end: new Date('2026-11-24T09:30:00Z'),
    summary: 'Algebra, with Ada; and Bob',
    description: 'x'.repeat(200),
    organizer: { email: 'tutor@example.com', name: 'Ada' },
    attendees: [{ email: 'student@example.com' }],
    stamp: new Date('2026-11-20T00:00:00Z'),
  });
  assert.match(ics, /METHOD:CANCEL\r\n/);
  assert.match(ics, /UID:lesson-1@tutor-meetings\r\n/);
  assert.match(ics, /SEQUENCE:2\r\n/);
  assert.match(ics, /DTSTART:20261124T083000Z\r\n/);
  assert.match(ics, /SUMMARY:Algebra\\, with Ada\\; and Bob/);
  assert.match(ics, /STATUS:CANCELLED/);
  for (const line of ics.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
});
