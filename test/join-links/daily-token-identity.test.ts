import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DailyClient, DailyMeetingTokenProperties } from '../../src/providers/daily/client';
import { dailyJoinUrl } from '../../src/providers/daily/client';
import { createDailyMeetingService } from '../../src/services/meetings/daily-meeting-service';

/** A Daily client that records the meeting tokens asked for; nothing else is called. */
function recordingDaily(): { client: DailyClient; tokens: DailyMeetingTokenProperties[] } {
  const tokens: DailyMeetingTokenProperties[] = [];
  const unused = () => Promise.reject(new Error('not used here'));
  const client: DailyClient = {
    createRoom: unused,
    getRoom: unused,
    updateRoom: unused,
    deleteRoom: unused,
    createMeetingToken: async (properties) => (tokens.push(properties), `token-${tokens.length}`),
    joinUrl: dailyJoinUrl,
  };
  return { client, tokens };
}

test("a meeting token names its person: ids longer than Daily's 36 characters that share a start stay two people", async () => {
  const { client, tokens } = recordingDaily();
  const daily = createDailyMeetingService(client, { earlyJoinMinutes: 10, graceMinutes: 15 });
  const room = { name: 'lesson-L1', url: 'https://example.daily.co/lesson-L1' };
  const prefix = 'tenant-acme-language-academy:member:'; // 36 characters, as namespaced ids go
  const tutor = { id: `${prefix}tutor-00001`, email: 't@example.com', name: 'Ada' };
  const student = { id: `${prefix}student-00002`, email: 's@example.com', name: 'Sam' };
  const short = { id: 'user-3', email: 'u@example.com', name: 'Uma' };
  const expiresAt = new Date('2030-01-01T10:15:00Z');
  for (const [host, person] of [
    [true, tutor],
    [false, student],
    [false, short],
  ] as const)
    await daily.createJoinURL(host, room, person, expiresAt);

  const [forTutor, forStudent, forShort] = tokens.map((t) => t.user_id ?? '');
  assert.notEqual(forTutor, forStudent, 'tutor and student are told apart');
  for (const id of [forTutor ?? '', forStudent ?? ''])
    assert.ok(id.length <= 36 && id.startsWith('tenant-acme'), id);
  assert.equal(forShort, 'user-3', 'an id that fits is kept as it is');
  const again = recordingDaily();
  await createDailyMeetingService(again.client, { earlyJoinMinutes: 10, graceMinutes: 15 }).createJoinURL(
    true,
    room,
    tutor,
    expiresAt,
  );
  assert.equal(again.tokens[0]?.user_id, forTutor, 'the same person gets the same id at every click');
  assert.deepEqual(
    tokens.map((t) => [t.user_name, t.is_owner, t.exp]),
    [
      ['Ada', true, expiresAt.getTime() / 1000],
      ['Sam', false, expiresAt.getTime() / 1000],
      ['Uma', false, expiresAt.getTime() / 1000],
    ],
  );
});
