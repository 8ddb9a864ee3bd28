import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createLessonsStore, type LessonStatus } from '../../src/db/stores/lessons-store';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { booking } from './lesson-helpers';

let database: TestDatabase;
before(async () => (database = await createTestDatabase()));
after(async () => database?.close());

async function recordedLesson(): Promise<string> {
  const b = booking();
  await createLessonsStore(database.db).insertWithPeople(
    {
      id: b.id,
      tutorId: b.tutor.id,
      studentId: b.student.id,
      title: b.title,
      startsAt: new Date(b.startsAt),
      endsAt: new Date(b.endsAt),
      bookingHash: 'hash',
      workflowId: `lesson-meeting/${b.id}`,
    },
    [b.tutor, b.student],
  );
  return b.id;
}

test('a finished lesson is never cancelled, nor a cancelled one finished; repeating a status is fine', async () => {
  const lessons = createLessonsStore(database.db);
  for (const [first, second] of [
    ['finished', 'cancelled'],
    ['cancelled', 'finished'],
  ] as Array<[LessonStatus, LessonStatus]>) {
    const id = await recordedLesson();
    assert.equal(await lessons.setStatus(id, first), true);
    assert.equal(await lessons.setStatus(id, second), true, 'the lesson exists');
    assert.equal((await lessons.find(id))?.status, first, `${first} stays`);
    assert.equal(await lessons.setStatus(id, first), true, 'a retry of the same status');
  }
  assert.equal(await lessons.setStatus('no-such-lesson', 'cancelled'), false);
});
