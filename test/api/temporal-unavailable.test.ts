import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceError } from '@temporalio/client';
import { startApi } from '../../src/api/server';
import { createContainer } from '../../src/container';
import { createLogger } from '../../src/logger';
import { isTemporalUnavailable } from '../../src/temporal/unavailable';
import { api, booking, emailsFor, meetingRow, taken, waitFor } from '../lessons/lesson-helpers';
import { platformJwt } from '../support/browser';
import { connectZoom } from '../support/connect-zoom';
import { specOf, validateResponse, type Spec } from '../support/openapi-validator';
import { useTestStack } from '../support/use-test-stack';
import { startApiWithoutTemporal, type UnreachableTemporalApi } from '../support/unreachable-temporal';

/**
 * Every route that calls Temporal answers 503 with Retry-After and a JSON error when Temporal is
 * out of reach, and the same request sent again once Temporal is back finishes the job.
 */
let cut: UnreachableTemporalApi;
let spec: Spec;
const stack = useTestStack({
  started: async (started) => {
    cut = await startApiWithoutTemporal(started);
    spec = specOf(await (await fetch(`${started.api.url}/openapi.json`)).json());
  },
  closing: () => cut?.close(),
});

const withoutTemporal = () => api({ ...stack, api: cut.api });
const lessonRow = (id: string) => stack.container.stores.lessons.find(id);

/** A 503 with Retry-After and the API's error body, as /openapi.json documents for that route. */
async function assertUnavailable(res: Response, method: string, template: string): Promise<void> {
  const text = await res.text();
  assert.equal(res.status, 503, `${method} ${template}: ${text}`);
  assert.ok(Number(res.headers.get('retry-after')) > 0, `${method} ${template}: Retry-After`);
  const body = JSON.parse(text) as { error: string; message: string };
  assert.equal(body.error, 'service_unavailable');
  assert.doesNotMatch(body.message, /ECONNREFUSED|127\.0\.0\.1|grpc/i, 'no address or transport detail');
  assert.deepEqual(validateResponse(spec, method, template, 503, body), [], `${method} ${template} 503`);
}

test('a booking while Temporal is out of reach is a 503; the same booking sent again once it is back is started', async () => {
  const b = booking();
  await assertUnavailable(await withoutTemporal().book(b), 'POST', '/lessons');
  assert.equal((await lessonRow(b.id))?.status, 'booked', 'the row recorded before the start stays');
  const again = await api(stack).book(b);
  assert.equal(again.status, 202, await again.clone().text());
  await waitFor('the meeting of the repeated booking', () => meetingRow(stack, b.id));
});

test('a booking that never reached Temporal can be cancelled: no meeting, no email, and it stays cancelled', async () => {
  const b = booking();
  await assertUnavailable(await withoutTemporal().book(b), 'POST', '/lessons');
  const later = booking({}, 72);
  const move = await api(stack).reschedule(b.id, { startsAt: later.startsAt, endsAt: later.endsAt });
  assert.equal(move.status, 409);
  assert.match(((await move.json()) as { message: string }).message, /send the booking again/);

  const cancelled = await api(stack).cancel(b.id);
  assert.equal(cancelled.status, 202, await cancelled.clone().text());
  assert.equal((await lessonRow(b.id))?.status, 'cancelled');
  assert.equal((await api(stack).book(b)).status, 409, 'a cancelled lesson is not booked again');
  assert.equal(await meetingRow(stack, b.id), undefined, 'no meeting was made');
  assert.deepEqual(emailsFor(stack, b.id), [], 'nobody was told of a lesson never announced');
});

test('a reschedule or cancel while Temporal is out of reach is a 503 that changes nothing; the cancel repeated works', async () => {
  const b = booking();
  assert.equal((await api(stack).book(b)).status, 202);
  await waitFor('the meeting', () => meetingRow(stack, b.id));
  const before = await lessonRow(b.id);
  const later = booking({}, 72);
  await assertUnavailable(
    await withoutTemporal().reschedule(b.id, { startsAt: later.startsAt, endsAt: later.endsAt }),
    'POST',
    '/lessons/{id}/reschedule',
  );
  await assertUnavailable(await withoutTemporal().cancel(b.id), 'POST', '/lessons/{id}/cancel');
  const after = await lessonRow(b.id);
  assert.equal(after?.status, 'booked', 'the cancel wrote nothing');
  assert.deepEqual([after?.startsAt, after?.version], [before?.startsAt, before?.version]);
  assert.equal(await taken(await api(stack).cancel(b.id)), 'taken');
});

test('a Zoom disconnect whose lessons cannot be moved is a 503; repeated once Temporal is back, it moves them to Daily', async () => {
  const b = booking();
  await connectZoom(stack, b.tutor.id);
  assert.equal((await api(stack).book(b)).status, 202);
  const row = await waitFor('the Zoom meeting', () => meetingRow(stack, b.id));
  assert.equal(row.provider, 'zoom');
  const disconnect = async (url: string) =>
    fetch(`${url}/integrations/zoom`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${await platformJwt(stack.env.PLATFORM_JWT_SECRET, b.tutor.id)}` },
    });
  await assertUnavailable(await disconnect(cut.api.url), 'DELETE', '/integrations/zoom');
  // Half done: the tokens are gone (revoked at Zoom first), the lesson is still on Zoom.
  assert.equal(await stack.container.services.tokenService.getConnection(b.tutor.id), undefined);
  assert.equal((await meetingRow(stack, b.id))?.provider, 'zoom', 'not moved yet');
  assert.equal((await disconnect(stack.api.url)).status, 204);
  await waitFor('the lesson on Daily', async () => (await meetingRow(stack, b.id))?.provider === 'daily');
});

test("Zoom's app_deauthorized while Temporal is out of reach is a 503, so Zoom delivers it again", async () => {
  const { webhooks } = stack.zoom.control;
  const event = webhooks.appDeauthorizedEvent({
    accountId: 'a',
    userId: 'zoom-user-503',
    clientId: stack.env.ZOOM_CLIENT_ID,
  });
  const { rawBody, headers } = webhooks.build(event);
  const res = await fetch(`${cut.api.url}/webhooks/zoom`, { method: 'POST', headers, body: rawBody });
  await assertUnavailable(res, 'POST', '/webhooks/zoom');
  const again = await webhooks.deliver(`${stack.api.url}/webhooks/zoom`, event);
  assert.equal(again.status, 200, again.responseText);
});

test('with the SDK’s own retries (~20 s), booking, rescheduling and cancelling answer 503 within 5 s: the calls have a deadline', async () => {
  const production = await startApiWithoutTemporal(stack, { sdkRetries: true });
  try {
    const b = booking();
    assert.equal((await api(stack).book(b)).status, 202);
    await waitFor('the meeting', () => meetingRow(stack, b.id));
    const later = booking({}, 72);
    const timed = async (what: string, call: () => Promise<Response>) => {
      const startedAt = Date.now();
      const res = await call();
      return { what, res, ms: Date.now() - startedAt };
    };
    const away = api({ ...stack, api: production.api });
    const answers = await Promise.all([
      timed('book', () => away.book(booking())),
      timed('reschedule', () => away.reschedule(b.id, { startsAt: later.startsAt, endsAt: later.endsAt })),
      timed('cancel', () => away.cancel(b.id)),
    ]);
    const templates = {
      book: '/lessons',
      reschedule: '/lessons/{id}/reschedule',
      cancel: '/lessons/{id}/cancel',
    };
    for (const { what, res, ms } of answers) {
      await assertUnavailable(res, 'POST', templates[what as keyof typeof templates]);
      assert.ok(ms < 5000, `${what}: 503 after ${ms} ms`);
    }
    assert.equal((await lessonRow(b.id))?.status, 'booked', 'the cancel wrote nothing');
  } finally {
    // The SDK's calls we stopped waiting for end on their own gRPC deadline, at most one retry
    // interval later; closing their channel before then throws in the SDK's retry timer.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    await production.close();
  }
});

test('only the "try again later" gRPC codes count as Temporal unavailable, however deeply wrapped', () => {
  const grpc = (code: number) => Object.assign(new Error(`${code}`), { code, details: 'd', metadata: {} });
  const wrapped = (code: number) => new ServiceError('Failed to signal Workflow', { cause: grpc(code) });
  for (const code of [4, 8, 14]) assert.equal(isTemporalUnavailable(wrapped(code)), true, `code ${code}`);
  // INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED: a bug or a setup error, a 500 that a retry won't mend.
  for (const code of [3, 5, 7]) assert.equal(isTemporalUnavailable(wrapped(code)), false, `code ${code}`);
  assert.equal(isTemporalUnavailable(new Error('boom')), false);
  assert.equal(isTemporalUnavailable(undefined), false);
});

test('/readyz checks the namespace, not only the server: a wrong TEMPORAL_NAMESPACE is "temporal: down"', async () => {
  const container = await createContainer(
    { ...stack.env, TEMPORAL_NAMESPACE: 'no-such-namespace' },
    {
      logger: createLogger({ level: 'silent' }),
      clock: stack.clock,
      temporalConnection: stack.temporal.connection,
    },
  );
  const api = await startApi(container, 0, '127.0.0.1');
  try {
    const ready = await fetch(`${api.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.deepEqual(((await ready.json()) as { checks: unknown }).checks, {
      postgres: 'ok',
      temporal: 'down',
    });
    assert.equal((await fetch(`${stack.api.url}/readyz`)).status, 200, 'the right namespace is ready');
  } finally {
    await api.close();
    await container.close();
  }
});
