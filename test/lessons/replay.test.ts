import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { replaySavedHistories } from '../support/replay-histories';

// Recorded with test/lessons/record-history.ts, each by the code of its day.
const dir = join(__dirname, 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

test('saved lesson histories replay through the current workflow code (an incompatible change fails here)', async () => {
  assert.ok(files.length > 0);
  for (const [file, error] of await replaySavedHistories(dir, 'lesson-histories'))
    assert.equal(error, undefined, `${file}: ${String(error)}`);
});

test('every recorded lesson (three reschedules and a cancel, or a booking cancelled while retrying) stays under 100 history events', () => {
  for (const file of files) {
    const history = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { events: unknown[] };
    assert.ok(history.events.length <= 100, `${file}: ${history.events.length} events`);
  }
});

interface SavedEvent {
  eventType: string;
  markerRecordedEventAttributes?: { details?: Record<string, { payloads?: Array<{ data?: string }> }> };
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string } };
}
const eventsOf = (file: string): SavedEvent[] =>
  (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { events: SavedEvent[] }).events;

/** The activity types a history ran as local activities, in order (from their markers). */
const localSteps = (file: string): string[] =>
  eventsOf(file).flatMap((e) =>
    Object.values(e.markerRecordedEventAttributes?.details ?? {}).flatMap((d) =>
      (d.payloads ?? []).flatMap(
        (p) => /"activity_type":"(\w+)"/.exec(Buffer.from(p.data ?? '', 'base64').toString())?.[1] ?? [],
      ),
    ),
  );

test('a lesson whose providers answer runs every step as a local activity, each provider step tried once', () => {
  const file = 'lesson-3-reschedules-cancel.json';
  assert.ok(!eventsOf(file).some((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED'));
  const reschedule = ['rescheduleLessonMeeting', 'sendLessonEmails'];
  assert.deepEqual(localSteps(file), [
    'bookLessonMeeting',
    ...reschedule,
    ...reschedule,
    ...reschedule,
    'cancelLessonMeeting',
    'sendLessonEmails',
  ]);
});

test('a booking cancelled while it retries Zoom: the retried create (a regular activity) is cancelled, nothing else runs', () => {
  const file = 'lesson-booking-preempted-by-cancel.json';
  const scheduled = eventsOf(file).flatMap(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
  );
  assert.deepEqual(scheduled, ['createLessonMeeting']);
  assert.ok(eventsOf(file).some((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED'));
  assert.deepEqual(localSteps(file), ['bookLessonMeeting', 'cancelLessonMeeting', 'sendLessonEmails']);
});
