import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { replaySavedHistories } from '../support/replay-histories';

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

test('lessons started since the local-steps patch record it, and run their steps as local activities', () => {
  const history = JSON.parse(
    readFileSync(join(dir, 'lesson-3-reschedules-cancel-local-steps.json'), 'utf8'),
  ) as { events: Array<{ eventType: string }> };
  const types = history.events.map((e) => e.eventType);
  assert.ok(!types.includes('EVENT_TYPE_ACTIVITY_TASK_SCHEDULED'), 'no regular activity is scheduled');
  assert.ok(
    types.filter((t) => t === 'EVENT_TYPE_MARKER_RECORDED').length >= 8,
    'patch and local activity markers',
  );
});

/** The texts of a saved history's markers (patch ids, local activity data). */
function markersOf(file: string): string[] {
  const history = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
    events: Array<{
      markerRecordedEventAttributes?: { details?: Record<string, { payloads?: Array<{ data?: string }> }> };
    }>;
  };
  return history.events.flatMap((e) =>
    Object.values(e.markerRecordedEventAttributes?.details ?? {}).flatMap((d) =>
      (d.payloads ?? []).map((p) => Buffer.from(p.data ?? '', 'base64').toString()),
    ),
  );
}

test('lessons rescheduled since the cancel-preempts-reschedule patch record it', () => {
  const markers = markersOf('lesson-3-reschedules-cancel-preemptible.json');
  assert.ok(markers.some((m) => m.includes('"cancel-preempts-reschedule"')));
});

test('lessons since the booking-in-one-step and reschedule-deadline patches record them, and try each step locally first', () => {
  const markers = markersOf('lesson-3-reschedules-cancel-one-step.json');
  assert.ok(markers.some((m) => m.includes('"booking-in-one-step"')));
  assert.ok(markers.some((m) => m.includes('"reschedule-deadline"')));
  const steps = markers.flatMap((m) => /"activity_type":"(\w+)"/.exec(m)?.[1] ?? []);
  assert.equal(steps[0], 'bookLessonMeeting');
  assert.ok(!steps.includes('createLessonMeeting'));
  assert.equal(steps.filter((step) => step === 'rescheduleLessonMeeting').length, 3);
});

test('lessons since the version-before-announce patch record it', () => {
  const markers = markersOf('lesson-3-reschedules-cancel-version-first.json');
  assert.ok(markers.some((m) => m.includes('"version-before-announce"')));
});

test('lessons rescheduled since the newer-reschedule-preempts patch record it', () => {
  const markers = markersOf('lesson-3-reschedules-cancel-superseding.json');
  assert.ok(markers.some((m) => m.includes('"newer-reschedule-preempts"')));
});

test('bookings preempted by a cancel since the cancel-preempts-booking patch record it, as their retries begin', () => {
  const markers = markersOf('lesson-booking-preempted-by-cancel.json');
  assert.ok(markers.some((m) => m.includes('"cancel-preempts-booking"')));
  // Only the quick try and the cancel's steps ran locally; the retried create was cancelled.
  const steps = markers.flatMap((m) => /"activity_type":"(\w+)"/.exec(m)?.[1] ?? []);
  assert.deepEqual(steps, ['bookLessonMeeting', 'cancelLessonMeeting', 'sendLessonEmails']);
});
