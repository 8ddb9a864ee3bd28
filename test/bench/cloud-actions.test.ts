import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { countCloudActions, type JsonHistoryEvent } from '../../bench/lib/cloud-actions';

const saved = (name: string): { events: JsonHistoryEvent[] } =>
  JSON.parse(readFileSync(join(__dirname, '../lessons/histories', name), 'utf8')) as {
    events: JsonHistoryEvent[];
  };

test('a lesson run on local activities: its markers count once per workflow task', () => {
  // 42 events: 5 workflow tasks that recorded markers (9 local activities between them), 4 timers,
  // 4 signals (3 reschedules, a cancel) and one MeetingProvider upsert.
  assert.deepEqual(countCloudActions(saved('lesson-3-reschedules-cancel.json')), {
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

test('a regular activity pays for each attempt; one cancelled before it started costs nothing', () => {
  // booked, its Zoom step scheduled as a regular activity, then cancelled before it started
  assert.deepEqual(countCloudActions(saved('lesson-booking-preempted-by-cancel.json')), {
    total: 4,
    byRule: { 'workflow started': 1, signal: 1, 'local activities (per workflow task)': 2 },
  });
  const started = (attempt?: number): JsonHistoryEvent => ({
    eventType: 'EVENT_TYPE_ACTIVITY_TASK_STARTED',
    ...(attempt === undefined ? {} : { activityTaskStartedEventAttributes: { attempt } }),
  });
  const events: JsonHistoryEvent[] = [
    { eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' },
    { eventType: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED' },
    started(),
    { eventType: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED' },
    started(3),
  ];
  assert.deepEqual(countCloudActions({ events }), {
    total: 5,
    byRule: { 'workflow started': 1, 'activity attempt': 4 },
  });
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
