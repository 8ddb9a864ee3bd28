import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useTestStack } from '../support/use-test-stack';
import { UNSAFE_CHARACTERS } from '../support/unsafe-text';
import { api, booking, HOUR, type Booking } from '../lessons/lesson-helpers';

const stack = useTestStack({ worker: false });

const DAY = 24 * HOUR;

/** A refused booking left nothing behind: no lesson, no user, no workflow. */
async function assertNothingWritten(b: Booking, what: string): Promise<void> {
  assert.equal(await stack.database.db('lessons').where({ id: b.id }).first(), undefined, what);
  // An id with a NUL can't even be looked for: PostgreSQL text can't hold one.
  const ids = [b.tutor.id, b.student.id].filter((id) => !id.includes('\u0000'));
  const people = await stack.database.db('users').whereIn('id', ids);
  assert.deepEqual(people, [], what);
  await assert.rejects(
    stack.temporal.client.workflow.getHandle(`lesson-meeting/${b.id}`).describe(),
    /not found/i,
    what,
  );
}

async function assertRefused(b: Booking, field: string, message: RegExp, what: string): Promise<void> {
  const res = await api(stack).book(b);
  const body = (await res.json()) as { error: string; message: string };
  assert.equal(res.status, 400, `${what}: ${JSON.stringify(body)}`);
  assert.match(body.message, new RegExp(`body\\.${field.replaceAll('.', '\\.')}: `), what);
  assert.match(body.message, message, what);
  await assertNothingWritten(b, what);
}

test('a NUL or a line break in a booking text is a 400 naming the field, and writes no lesson and no user', async () => {
  const cases: Array<[string, (b: Booking) => void]> = [
    ['title', (b) => (b.title = 'Algebra\u0000')],
    ['tutor.name', (b) => (b.tutor.name = 'Ada\u0000Tutor')],
    ['student.id', (b) => (b.student.id = `s\u0000${b.id}`)],
    ['title', (b) => (b.title = 'Algebra\r\nBcc: someone@example.com')],
    ['student.name', (b) => (b.student.name = 'Sam\nStudent')],
  ];
  for (const [field, spoil] of cases) {
    const b = booking();
    spoil(b);
    await assertRefused(b, field, /control/, field);
  }
});

test('C1, DEL, bidi controls and line separators are refused in every text field', async () => {
  const fields: Array<[string, (b: Booking, c: string) => void]> = [
    ['title', (b, c) => (b.title = `Algebra ${c}gnp.exe`)],
    ['tutor.name', (b, c) => (b.tutor.name = `Ada${c}Tutor`)],
    ['student.name', (b, c) => (b.student.name = `Sam${c}`)],
    ['tutor.id', (b, c) => (b.tutor.id = `t${c}${b.id}`)],
    ['student.email', (b, c) => (b.student.email = `sam${c}@example.com`)],
    ['tutor.timeZone', (b, c) => (b.tutor.timeZone = `Europe/Paris${c}`)],
  ];
  for (const [name, character] of Object.entries(UNSAFE_CHARACTERS))
    for (const [field, spoil] of fields) {
      const b = booking();
      spoil(b, character);
      await assertRefused(b, field, /./, `${name} in ${field}`);
    }
});

test('over-long emails, ids, names and time zones are a 400 naming the field', async () => {
  const cases: Array<[string, RegExp, (b: Booking) => void]> = [
    ['tutor.email', /at most 254/, (b) => (b.tutor.email = `${'a'.repeat(10_000)}@example.com`)],
    ['student.email', /at most 254/, (b) => (b.student.email = `${'a'.repeat(60)}@${'b'.repeat(195)}.com`)],
    ['tutor.id', /at most 64/, (b) => (b.tutor.id = 't'.repeat(65))],
    ['id', /at most 64/, (b) => (b.id = 'L'.repeat(65))],
    ['student.name', /at most 200/, (b) => (b.student.name = 'S'.repeat(201))],
    ['title', /at most 200/, (b) => (b.title = 'T'.repeat(5_000))],
    ['tutor.timeZone', /at most 64/, (b) => (b.tutor.timeZone = 'Europe/'.repeat(1_000))],
  ];
  for (const [field, message, spoil] of cases) {
    const b = booking();
    spoil(b);
    await assertRefused(b, field, message, field);
  }
  const longest = booking();
  longest.tutor.id = 't'.repeat(64);
  longest.title = 'T'.repeat(200);
  assert.equal((await api(stack).book(longest)).status, 202, 'at the caps is accepted');
});

test('a lesson must start within MAX_BOOKING_HORIZON_DAYS (400) and last at most 24 hours', async () => {
  const at = (b: Booking, startsAt: number, hours = 1) => ({
    ...b,
    startsAt: new Date(startsAt).toISOString(),
    endsAt: new Date(startsAt + hours * HOUR).toISOString(),
  });
  const refusals: Array<[string, (b: Booking) => Booking]> = [
    ['the year 9999', (b) => at(b, Date.parse('9999-06-01T10:00:00Z'))],
    ['401 days ahead', (b) => at(b, Date.now() + 401 * DAY)],
  ];
  for (const [what, move] of refusals) {
    const b = move(booking());
    const res = await api(stack).book(b);
    const body = (await res.json()) as { error: string; message: string };
    assert.equal(res.status, 400, what);
    assert.equal(body.error, 'lesson_too_far', what);
    assert.match(body.message, /within 400 days/, what);
    await assertNothingWritten(b, what);
  }
  const tooLong = at(booking(), Date.now() + DAY, 24.5);
  assert.equal((await api(stack).book(tooLong)).status, 400);
  await assertNothingWritten(tooLong, 'a lesson of 24.5 hours');
  assert.equal((await api(stack).book(at(booking(), Date.now() + 399 * DAY, 24))).status, 202, '399 days');
});

test('a reschedule passes the same rules, and a refused one changes nothing and signals nothing', async () => {
  const b = booking();
  assert.equal((await api(stack).book(b)).status, 202);
  const refusals: Array<[string, number, number, string]> = [
    ['the year 9999', Date.parse('9999-06-01T10:00:00Z'), 1, 'lesson_too_far'],
    ['401 days ahead', Date.now() + 401 * DAY, 1, 'lesson_too_far'],
    ['25 hours long', Date.now() + DAY, 25, 'invalid_request'],
  ];
  for (const [what, startsAt, hours, error] of refusals) {
    const times = {
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + hours * HOUR).toISOString(),
    };
    const res = await api(stack).reschedule(b.id, times);
    assert.equal(res.status, 400, what);
    assert.equal(((await res.json()) as { error: string }).error, error, what);
  }
  const row = await stack.database.db('lessons').where({ id: b.id }).first();
  assert.equal(row.starts_at.toISOString(), b.startsAt, 'the lesson kept its times');
  const history = await stack.temporal.client.workflow.getHandle(`lesson-meeting/${b.id}`).fetchHistory();
  const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes);
  assert.deepEqual(signals, [], 'no reschedule signal reached the workflow');
});

test('a lesson id with a bidi control, a NUL or 65 characters in a path is a 400', async () => {
  for (const id of ['ab\u202ecd', 'ab%00cd', 'L'.repeat(65), 'ab\u2028cd']) {
    const path = `/lessons/${id.includes('%') ? id : encodeURIComponent(id)}`;
    for (const [method, suffix] of [
      ['POST', '/cancel'],
      ['POST', '/reschedule'],
      ['GET', '/meeting'],
    ] as const) {
      const res = await fetch(`${stack.api.url}${path}${suffix}`, {
        method,
        headers: {
          authorization: `Bearer ${stack.env.BOOKING_API_TOKEN}`,
          'content-type': 'application/json',
        },
        body: method === 'POST' ? '{}' : undefined,
      });
      assert.equal(res.status, 400, `${method} ${path}${suffix}`);
      assert.match(((await res.json()) as { message: string }).message, /params\.id/);
    }
  }
});

test('names and titles with accents, apostrophes and emoji are still booked', async () => {
  const b = booking({ title: "Álgebra d'été 📐" });
  b.tutor.name = 'Zoë O’Brien';
  b.student.name = 'سارة'; // right-to-left script itself is fine; only the invisible controls are not
  const res = await api(stack).book(b);
  assert.equal(res.status, 202, await res.text());
});

test('a join link with a control or bidi character, or an over-long id or signature, is a 400', async () => {
  const join = (lessonId: string, sig: string) =>
    fetch(`${stack.api.url}/meetings/${lessonId}/join?as=student&exp=1900000000&sig=${sig}`, {
      redirect: 'manual',
    });
  const sig = 'A'.repeat(43); // the length of a real one (base64url of an HMAC-SHA256)
  for (const [what, lessonId, signature] of [
    ['a NUL in the id', 'ab%00cd', sig],
    ['a bidi override in the id', encodeURIComponent('ab\u202ecd'), sig],
    ['a 65-character id', 'L'.repeat(65), sig],
    ['a NUL in the signature', 'abcd', `${sig}%00`],
    ['a line separator in the signature', 'abcd', encodeURIComponent(`${sig}\u2028`)],
    ['a 5,000-character signature', 'abcd', 'A'.repeat(5_000)],
  ]) {
    const res = await join(lessonId as string, signature as string);
    assert.equal(res.status, 400, what);
  }
  assert.equal((await join('abcd', sig)).status, 403, 'well-formed but not ours: the signature check');
});
