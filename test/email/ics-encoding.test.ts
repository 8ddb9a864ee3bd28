import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildIcs, type CalendarEvent } from '../../src/services/email/ics';

const event = (overrides: Partial<CalendarEvent>): CalendarEvent => ({
  uid: 'lesson-1@tutor-meetings',
  sequence: 1,
  method: 'REQUEST',
  start: new Date('2026-03-29T00:30:00Z'),
  end: new Date('2026-03-29T01:30:00Z'),
  summary: 'Math',
  description: 'd',
  organizer: { email: 'o@x.com' },
  attendees: [],
  stamp: new Date('2026-03-20T00:00:00Z'),
  ...overrides,
});

const unfold = (ics: string): string[] => ics.replace(/\r\n[ \t]/g, '').split('\r\n');

/** A content line as RFC 5545 reads it: name, parameters (quotes honoured), value after the first free ':'. */
function parseLine(line: string): { name: string; params: Map<string, string>; value: string } {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let i = 0;
  for (; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ';' || c === ':')) {
      parts.push(current);
      current = '';
      if (c === ':') break;
      continue;
    }
    current += c;
  }
  const [name = '', ...rawParams] = parts;
  const params = new Map(rawParams.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  return { name, params, value: line.slice(i + 1) };
}

/** RFC 6868: ^n newline, ^' double quote, ^^ caret. */
const decodeParam = (raw: string): string =>
  raw
    .replace(/^"(.*)"$/, '$1')
    .replace(/\^(\^|'|n)/g, (_, c: string) => ({ '^': '^', "'": '"', n: '\n' })[c]!);

const property = (ics: string, name: string) =>
  unfold(ics)
    .map(parseLine)
    .find((l) => l.name === name);

test('a CN with a comma, colon and quotes is DQUOTEd with RFC 6868 carets, and the address stays intact', () => {
  const name = 'Smith, John: "JJ"';
  const ics = buildIcs(
    event({
      organizer: { email: 'o@x.com', name: 'Ada ^ Lovelace; Org' },
      attendees: [{ email: 's@x.com', name }],
    }),
  );
  const attendee = property(ics, 'ATTENDEE');
  assert.equal(attendee?.value, 'mailto:s@x.com');
  const cn = attendee?.params.get('CN') ?? '';
  assert.match(cn, /^"[^"]*"$/, 'quoted, with no inner double quote');
  assert.equal(decodeParam(cn), name);
  const organizer = property(ics, 'ORGANIZER');
  assert.equal(organizer?.value, 'mailto:o@x.com');
  assert.equal(decodeParam(organizer?.params.get('CN') ?? ''), 'Ada ^ Lovelace; Org');
});

test('a plain CN is left unquoted, and a line break in it is ^n', () => {
  const ics = buildIcs(event({ attendees: [{ email: 's@x.com', name: 'Sam\r\nCarter' }] }));
  assert.equal(property(ics, 'ATTENDEE')?.params.get('CN'), 'Sam^nCarter');
  assert.equal(property(ics, 'ATTENDEE')?.value, 'mailto:s@x.com');
});

test('folding cuts at 75 octets between characters, never inside one', () => {
  for (const summary of ['a'.repeat(64) + '😀 lesson', 'é'.repeat(100), '😀'.repeat(60), 'a'.repeat(300)]) {
    const ics = buildIcs(event({ summary }));
    assert.ok(!Buffer.from(ics).includes(Buffer.from('\uFFFD')), 'no replacement character');
    assert.equal(Buffer.from(ics).toString('utf8'), ics, 'the UTF-8 bytes decode back to the same text');
    for (const line of ics.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
    assert.equal(property(ics, 'SUMMARY')?.value, summary);
  }
});

test('TEXT values turn CRLF, CR and LF into \\n and drop other controls; HTAB stays', () => {
  const ics = buildIcs(
    event({ summary: 'Math\rclass\u0000\u0007\u001b\u007f', description: 'a\r\nb\nc\rd\te\u000bf' }),
  );
  assert.equal(property(ics, 'SUMMARY')?.value, 'Math\\nclass');
  assert.equal(property(ics, 'DESCRIPTION')?.value, 'a\\nb\\nc\\nd\tef');
  const cn = buildIcs(event({ attendees: [{ email: 's@x.com', name: 'Sam\u0000\u0008 Carter' }] }));
  assert.equal(property(cn, 'ATTENDEE')?.params.get('CN'), 'Sam Carter');
  for (const line of unfold(ics)) assert.doesNotMatch(line, /[\x00-\x08\x0a-\x1f\x7f]/, line);
});
