import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../lessons/lesson-helpers';
import { connectZoom } from '../support/connect-zoom';
import { useTestStack } from '../support/use-test-stack';

const verificationToken = 'legacy-verification-token';
const stack = useTestStack({ env: { ZOOM_VERIFICATION_TOKEN: verificationToken } });

const event = (name: string, payload: Record<string, unknown>) =>
  stack.zoom.control.webhooks.event(name, payload);

test('URL validation is answered only for a good signature', async () => {
  const good = await stack.zoom.validateWebhookUrl({ legacyAuthorization: false });
  assert.equal(good.ok, true);
  assert.equal(good.delivery.status, 200);
  const bad = await stack.zoom.validateWebhookUrl({ signature: 'bad', legacyAuthorization: false });
  assert.equal(bad.delivery.status, 401);
  assert.equal(bad.ok, false);
});

test('bad signatures and stale timestamps get 401 and change nothing; the legacy token alone is accepted', async () => {
  await connectZoom(stack, 'tutor-keep', 'keep@example.com');
  const zoomUserId = (await stack.container.services.tokenService.getConnection('tutor-keep'))?.uid as string;
  const deauth = event('app_deauthorized', {
    user_id: zoomUserId,
    account_id: 'a',
    user_data_retention: 'true',
  });

  const bad = await stack.zoom.sendWebhook(deauth, { signature: 'bad', legacyAuthorization: true });
  assert.equal(bad.status, 401, 'a failing signature is never overridden by the legacy token');
  const stale = await stack.zoom.sendWebhook(deauth, {
    timestampSkewSeconds: -600,
    legacyAuthorization: false,
  });
  assert.equal(stale.status, 401);
  const unsigned = await stack.zoom.sendWebhook(deauth, { signature: 'none', legacyAuthorization: false });
  assert.equal(unsigned.status, 401);
  assert.equal(await stack.container.services.tokenService.isZoomConnected('tutor-keep'), true);

  const legacy = await stack.zoom.sendWebhook(event('meeting.started', { object: {} }), {
    signature: 'none',
    legacyAuthorization: true,
  });
  assert.equal(legacy.status, 200);
  const other = await stack.zoom.sendWebhook(event('meeting.ended', { object: {} }), {
    legacyAuthorization: false,
  });
  assert.equal(other.status, 200, 'other events are acknowledged');
});

test('a deauthorization delivered twice deletes the token once and harms nothing', async () => {
  const zoomUserId = await connectZoom(stack, 'tutor-gone', 'gone@example.com');
  const deauthorizedAt = new Date().toISOString();
  const deauth = event('app_deauthorized', {
    user_id: zoomUserId,
    account_id: 'a',
    user_data_retention: 'false',
    deauthorization_time: deauthorizedAt,
  });
  const first = await stack.zoom.sendWebhook(deauth, { legacyAuthorization: false });
  const second = await stack.zoom.sendWebhook(deauth, { legacyAuthorization: false });
  assert.equal(first.status, 200);
  assert.equal(second.status, 200);

  const handle = stack.temporal.client.workflow.getHandle(
    `zoom-deauthorization/${zoomUserId}/${deauthorizedAt}`,
  );
  const result = await handle.result();
  assert.deepEqual(result.tutorIds.length <= 1, true);
  assert.equal(await stack.container.services.tokenService.isZoomConnected('tutor-gone'), false);
  const events = await stack.database
    .db('zoom_connection_events')
    .where({ user_id: 'tutor-gone' })
    .pluck('event');
  assert.deepEqual(
    events,
    ['deauthorized'],
    'with user_data_retention "false" only the deauthorization itself is kept',
  );
});

test('malformed signed events are a 400, not a 500', async () => {
  const res = await stack.zoom.sendWebhook(event('app_deauthorized', {}), { legacyAuthorization: false });
  assert.equal(res.status, 400);
});

test('an app_deauthorized whose user_id has 5,000 characters, a NUL or a bidi control is a 400 naming it, and starts no workflow', async () => {
  const deauthorizations = async (): Promise<string[]> => {
    const ids: string[] = [];
    const query = `TaskQueue = '${stack.env.TEMPORAL_TASK_QUEUE}' AND WorkflowType = 'zoomDeauthorizationWorkflow'`;
    for await (const execution of stack.temporal.client.workflow.list({ query }))
      ids.push(execution.workflowId);
    return ids;
  };
  const before = await deauthorizations();
  const zoomUserId = await connectZoom(stack, 'tutor-kept', 'kept@example.com');
  const badPayloads: Array<[string, Record<string, unknown>]> = [
    ['5,000 characters', { user_id: 'u'.repeat(5_000) }],
    ['a NUL', { user_id: `${zoomUserId}\u0000` }],
    ['a right-to-left override', { user_id: `${zoomUserId}\u202e` }],
    ['a line separator', { user_id: `${zoomUserId}\u2028` }],
    ['a NUL in account_id', { user_id: zoomUserId, account_id: 'a\u0000' }],
  ];
  for (const [what, payload] of badPayloads) {
    const delivery = await stack.zoom.sendWebhook(
      event('app_deauthorized', { user_data_retention: 'true', ...payload }),
      { legacyAuthorization: false },
    );
    assert.equal(delivery.status, 400, what);
    assert.match(delivery.responseText ?? '', /payload\.(user_id|account_id): /, what);
  }
  assert.equal(await stack.container.services.tokenService.isZoomConnected('tutor-kept'), true);

  // A good one afterwards does show in the list: the refused ones would have too.
  const good = await stack.zoom.sendWebhook(
    event('app_deauthorized', { user_id: zoomUserId, user_data_retention: 'true' }),
    { legacyAuthorization: false },
  );
  assert.equal(good.status, 200);
  const after = await waitFor('the good deauthorization listed', async () => {
    const ids = await deauthorizations();
    return ids.length > before.length && ids;
  });
  assert.deepEqual(
    after.filter((id) => !before.includes(id)).map((id) => id.split('/')[1]),
    [zoomUserId],
    'only the good event started a workflow',
  );
});

test('an unknown event with a control character in its name is a 400, not a 500', async () => {
  const delivery = await stack.zoom.sendWebhook(event('meeting.started\u0000', {}), {
    legacyAuthorization: false,
  });
  assert.equal(delivery.status, 400);
});
