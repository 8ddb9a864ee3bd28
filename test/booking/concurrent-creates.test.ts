import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bookingHash, normaliseBooking } from '../../src/services/meetings/booking';
import { lessonWorkflowId } from '../../src/lessons/ids';
import { useTestStack } from '../support/use-test-stack';
import { booking, connectZoom } from '../lessons/lesson-helpers';

const stack = useTestStack({ worker: false, env: { DATABASE_POOL_MAX: '2' } });

// Found by the booking-burst benchmark: the per-lesson lock was held on a connection of the main
// pool while the work under it took more, so as many concurrent creates as pool slots waited
// for each other until knex gave up, and every create timed out.
test('more concurrent meeting creates than database connections all complete, on Daily and on Zoom', async () => {
  stack.daily.faults.add({ route: 'POST /v1/rooms', latencyMs: 200 });
  stack.zoom.faults.add({ route: 'POST /v2/users/me/meetings', latencyMs: 200 });
  const meetings = stack.container.services.lessonMeetings;
  const lessons = Array.from({ length: 8 }, () => normaliseBooking(booking()));
  await connectZoom(stack, (lessons[0] as { tutor: { id: string } }).tutor.id);
  await connectZoom(stack, (lessons[1] as { tutor: { id: string } }).tutor.id);
  for (const b of lessons) await meetings.recordBooking(b, bookingHash(b), lessonWorkflowId(b.id));

  const outcomes = await Promise.race([
    Promise.all(lessons.flatMap((b) => [meetings.createMeeting(b.id), meetings.createMeeting(b.id)])),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('the creates are stuck waiting for connections')), 20_000),
    ),
  ]);
  const providers = outcomes.map((o) => ('provider' in o ? o.provider : 'cancelled'));
  assert.deepEqual(providers.slice(0, 4), ['zoom', 'zoom', 'zoom', 'zoom']);
  assert.ok(providers.slice(4).every((p) => p === 'daily'));
  for (const b of lessons) {
    assert.equal(stack.daily.rooms().filter((r) => r.name.includes(b.id)).length + zoomMeetingsOf(b.id), 1);
  }
});

const zoomMeetingsOf = (lessonId: string): number =>
  stack.zoom.meetings().filter((m) => String(m.agenda ?? '').includes(lessonId)).length;
