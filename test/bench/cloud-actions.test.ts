import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { countCloudActions, type JsonHistoryEvent } from '../../bench/lib/cloud-actions';

const saved = (name: string): { events: JsonHistoryEvent[] } =>
  JSON.parse(readFileSync(join(__dirname, '../lessons/histories', name), 'utf8')) as {
    events: JsonHistoryEvent[];
  };

test('a lesson run on local activities: its markers count once per workflow task, the patch attribute not at all', () => {
  // 42 events: 5 workflow tasks that recorded markers (a patch and 10 local activities between them),
  // 4 timers, 4 signals (3 reschedules, a cancel), one TemporalChangeVersion upsert, one MeetingProvider.
  assert.deepEqual(countCloudActions(saved('lesson-3-reschedules-cancel-local-steps.json')), {
    total: 15,
    byRule: {
      'workflow started': 1,
      'search attribute upsert': 1,
      'timer started': 4,
      signal: 4,
      'local activities (per workflow task)': 5,
    },
  });
});

test('the same lesson on regular activities pays for each of them', () => {
  assert.deepEqual(countCloudActions(saved('lesson-3-reschedules-cancel.json')), {
    total: 20,
    byRule: {
      'workflow started': 1,
      'activity attempt': 10,
      'timer started': 4,
      signal: 4,
      'search attribute upsert': 1,
    },
  });
});

test('an activity cancelled before it started costs nothing; one started on its third attempt costs three', () => {
  // booked, its Zoom step scheduled, then cancelled: only patch attributes were upserted
  assert.deepEqual(countCloudActions(saved('lesson-booking-preempted-by-cancel.json')), {
    total: 4,
    byRule: { 'workflow started': 1, signal: 1, 'local activities (per workflow task)': 2 },
  });
  const history = saved('lesson-3-reschedules-cancel.json');
  const retried = history.events.map((event) =>
    event.eventType === 'EVENT_TYPE_ACTIVITY_TASK_STARTED' && event.eventId === '6'
      ? { ...event, activityTaskStartedEventAttributes: { attempt: 3 } }
      : event,
  );
  assert.equal(countCloudActions({ events: retried }).byRule['activity attempt'], 12);
});

test('a child workflow costs two actions, an accepted update one, and events without a rule none', () => {
  const events: JsonHistoryEvent[] = [
    { eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' },
    { eventType: 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED' },
    { eventType: 'EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED' },
    { eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED' },
    { eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED' },
    { eventType: 'EVENT_TYPE_TIMER_FIRED' },
    { eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED' },
  ];
  assert.deepEqual(countCloudActions({ events }), {
    total: 4,
    byRule: { 'workflow started': 1, 'child workflow': 2, update: 1 },
  });
});
