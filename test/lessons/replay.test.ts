import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
// Built with fromObject rather than the SDK's historyFromJSON, which trips over the two protobufjs
// copies npm installs side by side here.
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/temporal';

const dir = join(__dirname, 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

test('saved lesson histories replay through the current workflow code (an incompatible change fails here)', async () => {
  assert.ok(files.length > 0);
  const histories = files.map((file) => ({
    workflowId: file,
    history: temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(dir, file), 'utf8'))),
  }));
  const bundle = await workflowBundle();
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: bundle, replayName: 'lesson-histories' },
    histories,
  )) {
    assert.equal(result.error, undefined, `${result.workflowId}: ${String(result.error)}`);
  }
});

test('a lesson with three reschedules and a cancel stays under 100 history events, in every recorded version', () => {
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

test('lessons rescheduled since the cancel-preempts-reschedule patch record it', () => {
  const raw = readFileSync(join(dir, 'lesson-3-reschedules-cancel-preemptible.json'), 'utf8');
  const history = JSON.parse(raw) as {
    events: Array<{
      markerRecordedEventAttributes?: { details?: Record<string, { payloads?: Array<{ data?: string }> }> };
    }>;
  };
  const markers = history.events.flatMap((e) =>
    Object.values(e.markerRecordedEventAttributes?.details ?? {}).flatMap((d) =>
      (d.payloads ?? []).map((p) => Buffer.from(p.data ?? '', 'base64').toString()),
    ),
  );
  assert.ok(markers.some((m) => m.includes('"cancel-preempts-reschedule"')));
});

test('lessons booked since the booking-in-one-step patch record it, and book in one local activity', () => {
  const raw = readFileSync(join(dir, 'lesson-3-reschedules-cancel-one-step.json'), 'utf8');
  const payloads = [...raw.matchAll(/"data":"([^"]+)"/g)].map((m) =>
    Buffer.from(m[1] ?? '', 'base64').toString(),
  );
  assert.ok(payloads.some((text) => text.includes('"booking-in-one-step"')));
  const steps = payloads.flatMap((text) => /"activity_type":"(\w+)"/.exec(text)?.[1] ?? []);
  assert.deepEqual(steps.slice(0, 2), ['bookLessonMeeting', 'rescheduleLessonMeeting']);
});
