import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startMetricsServer, type MetricsServer } from '../../src/observability/metrics-server';
import { createLogger } from '../../src/logger';
import { installRuntime } from '../../src/worker/runtime';
import { api, booking, waitFor } from '../lessons/lesson-helpers';
import { startTestStack, type TestStack } from '../support/stack';

// One process per test file: the SDK runtime (with its Prometheus exporter) is installed here first.
let stack: TestStack;
let metrics: MetricsServer;

before(async () => {
  const sdkMetricsUrl = await installRuntime(createLogger({ level: 'silent' }), { metrics: true });
  assert.ok(sdkMetricsUrl, 'the runtime was installed with metrics');
  stack = await startTestStack();
  metrics = await startMetricsServer({
    port: 0,
    host: '127.0.0.1',
    registry: stack.container.metrics,
    sdkMetricsUrl,
  });
});
after(async () => {
  await metrics?.close();
  await stack?.close();
});

const scrape = async (): Promise<string> => (await fetch(metrics.url)).text();
const jsonLines = (): Array<Record<string, unknown>> =>
  stack.logs.map((l) => JSON.parse(l) as Record<string, unknown>);

test('a booking is followed in the logs by its lessonId, workflowId and tutorId, from the request to each activity', async () => {
  stack.daily.faults.add({ route: 'POST /v1/rooms', status: 500, firstN: 1 });
  const b = booking();
  const response = await api(stack).book(b, { 'x-request-id': `req-${b.id}` });
  assert.equal(response.status, 202);
  assert.equal(response.headers.get('x-request-id'), `req-${b.id}`);
  await waitFor('the room', async () => stack.daily.rooms().some((r) => r.name.includes(b.id)));

  const workflowId = `lesson-meeting/${b.id}`;
  const failed = await waitFor('the failed attempt logged', async () =>
    jsonLines().find((l) => l.msg === 'activity failed' && l.lessonId === b.id),
  );
  assert.equal(failed.workflowId, workflowId);
  assert.equal(failed.tutorId, b.tutor.id);
  assert.equal(failed.activityType, 'bookLessonMeeting');
  assert.equal(failed.attempt, 1);
  // The quick local try failed: the meeting step is retried as a regular activity.
  const completed = await waitFor('the retry logged', async () =>
    jsonLines().find(
      (l) =>
        l.msg === 'activity completed' && l.lessonId === b.id && l.activityType === 'createLessonMeeting',
    ),
  );
  assert.equal(completed.workflowId, workflowId);
  assert.equal(completed.tutorId, b.tutor.id);

  const request = jsonLines().find((l) => l.msg === 'request' && l.requestId === `req-${b.id}`);
  assert.ok(request, 'the request line carries the request id');
  assert.equal(request.lessonId, b.id);
  assert.equal(request.tutorId, b.tutor.id);
  assert.equal(request.workflowId, workflowId);
});

test('/metrics serves the API request metrics by route template, Node metrics and the Temporal SDK runtime metrics', async () => {
  const b = booking();
  assert.equal((await api(stack).book(b)).status, 202);
  assert.equal((await api(stack).meeting('L-unknown')).status, 404);
  assert.equal((await fetch(`${stack.api.url}/no/such/route`)).status, 404);

  const text = await waitFor('SDK metrics', async () => {
    const body = await scrape();
    // Lesson steps are local activities: they have their own latency metric.
    return (
      /^temporal_workflow_task_execution_latency/m.test(body) &&
      /^temporal_local_activity_execution_latency/m.test(body) &&
      body
    );
  });
  assert.match(text, /^http_requests_total\{method="POST",route="\/lessons",status="202"\} [1-9]/m);
  assert.match(text, /^http_requests_total\{method="GET",route="\/lessons\/:id\/meeting",status="404"\} 1$/m);
  assert.match(text, /^http_requests_total\{method="GET",route="unmatched",status="404"\} 1$/m);
  assert.doesNotMatch(text, /L-unknown|no\/such\/route/, 'ids and raw paths never become labels');
  assert.match(text, /^http_request_duration_seconds_bucket\{le="0.5",method="POST",route="\/lessons"\} /m);
  assert.match(text, /^nodejs_heap_size_used_bytes /m);
  assert.match(text, new RegExp(`task_queue="${stack.env.TEMPORAL_TASK_QUEUE}"`));
  assert.equal((await fetch(metrics.url.replace('/metrics', '/other'))).status, 404);
});
