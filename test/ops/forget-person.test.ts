import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createOpsCommands } from '../../src/ops/commands';
import { HASHED_EMAIL_PREFIX } from '../../src/services/erasure/email-hash';
import type { ForgetPersonResult } from '../../src/services/erasure/forget-person';
import { api, booking, connectZoom, meetingRow, waitFor, type Booking } from '../lessons/lesson-helpers';
import { platformJwt } from '../support/browser';
import { authorizeZoom } from '../support/connect-zoom';
import type { TestStack } from '../support/stack';
import { useTestStack } from '../support/use-test-stack';

const stack = useTestStack();

/** A person nobody else in the suite is called, so a scan finds only them. */
function uniquePerson(role: string) {
  const tag = randomBytes(4).toString('hex');
  return { id: `${role}-${tag}`, name: `Zebedee ${tag} Forgettable`, email: `zebedee.${tag}@example.org` };
}

/** The last run's printed lines. */
let printed = '';
const forget = async (userId: string, cancelOpen = false): Promise<ForgetPersonResult> => {
  const lines: string[] = [];
  const result = await createOpsCommands(stack.container, (l) => lines.push(l)).forgetPerson(userId, {
    cancelOpen,
  });
  printed = lines.join('\n');
  return result;
};

async function bookOn(provider: 'zoom' | 'daily', b: Booking): Promise<void> {
  assert.equal((await api(stack).book(b)).status, 202);
  assert.equal((await waitFor('meeting row', () => meetingRow(stack, b.id))).provider, provider);
}

/** Every text or JSON column of every table, searched for each needle: the rows that hold one. */
async function traces(s: TestStack, needles: string[]): Promise<string[]> {
  const columns = await s.database
    .db('information_schema.columns')
    .where({ table_schema: 'public' })
    .whereIn('data_type', ['text', 'character varying', 'json', 'jsonb'])
    .whereNot('table_name', 'like', 'knex_%')
    .select('table_name', 'column_name');
  assert.ok(columns.length > 20, 'the scan sees the schema');
  const found: string[] = [];
  for (const { table_name: table, column_name: column } of columns)
    for (const needle of needles) {
      const rows = await s.database.db(table).whereRaw('??::text ilike ?', [column, `%${needle}%`]);
      if (rows.length > 0) found.push(`${table}.${column} holds ${needle}`);
    }
  return found;
}

/** The outcome of the tutor's grant revocation for `reason`, once it has one. */
const revocationOutcome = (userId: string, reason: string) =>
  waitFor('the revocation', async () => {
    const row = await stack.database
      .db('zoom_grant_revocations')
      .where({ user_id: userId, reason })
      .whereNotNull('outcome')
      .first('outcome');
    return row?.outcome as string | undefined;
  });

const lessonRow = (id: string) => stack.database.db('lessons').where({ id }).first();
const userRow = (id: string) => stack.database.db('users').where({ id }).first('id', 'name', 'email');

test('forget-person refuses while a lesson is open, then with --cancel-open cancels it and leaves no trace of the tutor, their grant revoked, others intact, and repeats safely', async () => {
  const person = uniquePerson('tutor');
  const zoomEmail = `${person.id}@zoom.example.com`;
  const zoomUserId = await connectZoom(stack, person.id, zoomEmail);
  const theirs = booking({ title: `Algebra with ${person.name}` });
  Object.assign(theirs.tutor, { id: person.id, name: person.name, email: person.email });
  const others = booking();
  await bookOn('zoom', theirs);
  await bookOn('daily', others);
  const othersBefore = { lesson: await lessonRow(others.id), tutor: await userRow(others.tutor.id) };

  // 1. An open lesson: refused, and nothing changed.
  const refused = await forget(person.id);
  assert.equal(refused.outcome, 'refused');
  assert.deepEqual(refused.outcome === 'refused' && refused.lessons, [{ id: theirs.id }]);
  assert.match(printed, new RegExp(`Refused: ${person.id} has open lessons[^]*\\n  ${theirs.id}$`));
  assert.equal((await userRow(person.id))?.name, person.name);
  assert.equal(await stack.database.db('person_erasures').where({ user_id: person.id }).first(), undefined);

  const needles = [person.name, person.email, zoomEmail];
  assert.equal((await traces(stack, needles)).length >= 4, true, 'the scan finds them before');

  // 2. --cancel-open cancels it the usual way (its workflow closes), then erases.
  const done = await forget(person.id, true);
  assert.equal(done.outcome, 'erased', JSON.stringify(done));
  if (done.outcome !== 'erased') return;
  assert.deepEqual(done.cancelledLessonIds, [theirs.id]);
  assert.equal((await lessonRow(theirs.id))?.status, 'cancelled');
  const run = await stack.temporal.client.workflow.getHandle(`lesson-meeting/${theirs.id}`).describe();
  assert.equal(run.status.name, 'COMPLETED');
  assert.ok(done.workflowIds.includes(`lesson-meeting/${theirs.id}`), done.workflowIds.join(' '));
  assert.match(
    printed,
    new RegExp(`until the namespace's retention ends:\\n(  .+\\n)*  lesson-meeting/${theirs.id}`),
  );

  // No name, no email, anywhere; the ids stay.
  assert.deepEqual(await traces(stack, needles), []);
  assert.deepEqual(await userRow(person.id), { id: person.id, name: null, email: null });
  const ledger = await stack.database
    .db('sent_emails')
    .where('idempotency_key', 'like', `${theirs.id}:%:tutor`);
  assert.ok(ledger.length >= 2, 'booked and cancelled emails went to the tutor');
  for (const row of ledger) assert.match(row.recipient, new RegExp(`^${HASHED_EMAIL_PREFIX}[0-9a-f]{64}$`));

  // The lesson stays whole, for its student; the other people and lessons are untouched.
  const lesson = await lessonRow(theirs.id);
  assert.deepEqual(
    [lesson.tutor_id, lesson.student_id, lesson.title],
    [person.id, theirs.student.id, 'Algebra with [erased]'],
  );
  assert.equal((await userRow(theirs.student.id))?.name, theirs.student.name);
  assert.deepEqual(
    { lesson: await lessonRow(others.id), tutor: await userRow(others.tutor.id) },
    othersBefore,
  );

  // The Zoom connection is gone and its grant revoked at Zoom, durably.
  assert.equal(
    await stack.database.db('oauth_service_tokens').where({ user_id: person.id }).first(),
    undefined,
  );
  assert.equal(await revocationOutcome(person.id, 'person_erased'), 'revoked');
  assert.equal((await stack.zoom.deauthorizeUser(zoomUserId, { sendWebhook: false }))?.revokedGrants, 0);

  // 3. Again: nothing left to change, and a second audit row.
  const again = await forget(person.id);
  assert.equal(again.outcome, 'erased');
  assert.match(printed, /already forgotten/);
  if (again.outcome === 'erased')
    assert.deepEqual(
      Object.entries(again.erased).filter(([, rows]) => rows > 0),
      [],
    );
  const audits = await stack.database.db('person_erasures').where({ user_id: person.id }).orderBy('id');
  assert.equal(audits.length, 2);
  assert.deepEqual(audits[0].cancelled_lesson_ids, [theirs.id]);
  assert.equal(audits[0].erased.users, 1);
  assert.equal(audits[0].erased.oauth_service_tokens, 1);
});

test('forgetting a student rewrites the agenda of a Zoom meeting that still names them in their tutor’s account, and hashes an address they no longer use', async () => {
  const person = uniquePerson('student');
  const tutorId = `tutor-of-${person.id}`;
  const zoomUserId = await connectZoom(stack, tutorId);
  const theirs = booking({ title: `Piano with ${person.name}` });
  Object.assign(theirs.tutor, { id: tutorId });
  Object.assign(theirs.student, { id: person.id, name: person.name, email: person.email });
  await bookOn('zoom', theirs);
  // The tutor disconnects: the lesson moves to Daily, and its Zoom meeting (which we could no
  // longer delete) stays in the tutor's account. Then the tutor connects that account again.
  const jwt = await platformJwt(stack.env.PLATFORM_JWT_SECRET, tutorId, { issuedAt: stack.clock.now() });
  const res = await fetch(`${stack.api.url}/integrations/zoom`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${jwt}` },
  });
  assert.equal(res.status, 204);
  await waitFor('moved to Daily', async () => (await meetingRow(stack, theirs.id))?.provider === 'daily');
  // Its grant's revoke removes the app at Zoom: reconnecting meanwhile would lose the new grant too.
  await revocationOutcome(tutorId, 'disconnected');
  await authorizeZoom(stack, tutorId, zoomUserId);
  const left = () =>
    stack.zoom.meetings(zoomUserId).find((m) => String(m.agenda).includes(`[lesson:${theirs.id}]`));
  assert.match(String(left()?.agenda), new RegExp(person.name));

  // Their next lesson under a new address: the ledger keeps the old one, by its key.
  await waitFor('the booked email', async () =>
    stack.database.db('sent_emails').where('idempotency_key', 'like', `${theirs.id}:%:student`).first(),
  );
  const oldEmail = person.email;
  person.email = `new.${oldEmail}`;
  const next = booking();
  Object.assign(next.tutor, { id: tutorId });
  Object.assign(next.student, { id: person.id, name: person.name, email: person.email });
  await bookOn('zoom', next);
  assert.equal((await userRow(person.id))?.email, person.email);

  const done = await forget(person.id, true);
  assert.equal(done.outcome, 'erased', JSON.stringify(done));
  assert.deepEqual(done.outcome === 'erased' && done.cancelledLessonIds.sort(), [theirs.id, next.id].sort());
  assert.equal(done.outcome === 'erased' && done.zoomMeetingsRewritten, 1);
  const meeting = left();
  assert.ok(meeting, 'the meeting keeps its marker');
  for (const field of [meeting.agenda, meeting.topic]) {
    assert.doesNotMatch(String(field), new RegExp(person.name));
    assert.match(String(field), /\[erased\]/);
  }
  assert.deepEqual(await traces(stack, [person.name, person.email, oldEmail]), []);
  assert.equal((await userRow(tutorId))?.name, theirs.tutor.name, 'the tutor stays');

  // Repeated: the meeting says so already, nothing is PATCHed again.
  const again = await forget(person.id);
  assert.equal(again.outcome === 'erased' && again.zoomMeetingsRewritten, 0);
});

test('forget-person of an unknown user changes nothing', async () => {
  assert.equal((await forget('nobody-at-all')).outcome, 'unknown_user');
  assert.equal(printed, 'No user nobody-at-all: nothing to forget.');
  assert.equal(
    await stack.database.db('person_erasures').where({ user_id: 'nobody-at-all' }).first(),
    undefined,
  );
});
