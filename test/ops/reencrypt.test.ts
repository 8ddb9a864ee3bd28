import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Knex } from 'knex';
import { KeyRing, generateKey } from '../../src/crypto/key-ring';
import { createMeetingsStore } from '../../src/db/stores/meetings-store';
import { createTokensStore } from '../../src/db/stores/oauth-service-tokens-store';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
before(async () => (database = await createTestDatabase()));
after(async () => database?.close());

// The key being retired, and the ring after the rotation (new key current, old one readable).
const oldKey = generateKey();
const oldRing = new KeyRing(oldKey);
const rotated = new KeyRing(generateKey(), [oldKey]);

/**
 * Runs `write` in a transaction that holds `table`'s row `id` locked (as a token refresh does during
 * Zoom's answer) while `reencrypt` starts and reaches that row, then commits the write.
 */
async function raceWithLockedWriter(
  table: string,
  id: string,
  write: (trx: Knex.Transaction) => Promise<void>,
  reencrypt: () => Promise<number>,
): Promise<number> {
  const db = database.db;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const writer = db.transaction(async (trx) => {
    await trx(table).where({ id }).forUpdate().first('id');
    locked();
    await gate;
    await write(trx);
  });
  await isLocked;
  const reencrypting = reencrypt();
  // Wait until the re-encryption is blocked on the writer's row lock.
  for (let i = 0; ; i++) {
    const { rows } = await db.raw(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (rows[0].n > 0) break;
    assert.ok(i < 200, 'the re-encryption never reached the locked row');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  release();
  await writer;
  return reencrypting;
}

test('reencrypt waits for a refresh holding the row and never writes the old refresh token back', async () => {
  const db = database.db;
  await db('users').insert({ id: 'tutor-race' });
  const expiresAt = new Date(Date.now() + 3600_000);
  const tokens = { accessToken: 'OLD-ACCESS', refreshToken: 'OLD-REFRESH', expiresIn: 3600, expiresAt };
  await createTokensStore(db, oldRing).saveConnection({
    userId: 'tutor-race',
    uid: 'zoom-race',
    email: null,
    code: 'CODE',
    ...tokens,
  });
  const store = createTokensStore(db, rotated);
  const row = (await store.findByUser('tutor-race'))!;

  const rewritten = await raceWithLockedWriter(
    'oauth_service_tokens',
    row.id,
    (trx) =>
      store.saveRefreshedTokens(
        'tutor-race',
        { ...tokens, accessToken: 'NEW-ACCESS', refreshToken: 'NEW-REFRESH' },
        trx,
      ),
    () => store.reencryptAll(),
  );

  const after = (await store.findByUser('tutor-race'))!;
  assert.equal(after.refreshToken, 'NEW-REFRESH', 'the rotated refresh token survives');
  assert.equal(after.accessToken, 'NEW-ACCESS');
  assert.equal(rewritten, 1, 'the code, still under the old key, was rewritten');
  const raw = await db('oauth_service_tokens').where({ id: row.id }).first();
  for (const column of ['code', 'access_token', 'refresh_token'])
    assert.equal(rotated.isStale(raw[column]), false, column);
  assert.equal(await store.reencryptAll(), 0, 'a second run has nothing left to do');
});

test('reencrypt never writes back a meeting password replaced meanwhile', async () => {
  const db = database.db;
  await db('users').insert([{ id: 'tutor-m' }, { id: 'student-m' }]);
  const startsAt = new Date(Date.now() + 86_400_000);
  await db('lessons').insert({
    id: 'lesson-m',
    tutor_id: 'tutor-m',
    student_id: 'student-m',
    starts_at: startsAt,
    ends_at: new Date(startsAt.getTime() + 3600_000),
    booking_hash: 'h',
    workflow_id: 'lesson-meeting/lesson-m',
  });
  const meeting = {
    meetingId: '123',
    password: 'OLD-PASSWORD',
    joinUrl: 'https://example.com/host',
    participantJoinUrl: 'https://example.com/join',
    provider: 'zoom' as const,
    lessonId: 'lesson-m',
    roomUrl: null,
  };
  await createMeetingsStore(db, oldRing).createOrUpdateMeeting(meeting);
  const store = createMeetingsStore(db, rotated);
  const { id } = await db('meetings').where({ lesson_id: 'lesson-m' }).first('id');

  await raceWithLockedWriter(
    'meetings',
    String(id),
    (trx) => store.createOrUpdateMeeting({ ...meeting, meetingId: '456', password: 'NEW-PASSWORD' }, trx),
    () => store.reencryptPasswords(),
  );

  assert.equal((await store.findByLesson('lesson-m'))?.password, 'NEW-PASSWORD');
});
