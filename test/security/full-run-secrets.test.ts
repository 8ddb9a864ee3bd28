import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, booking, connectZoom, emailsFor, meetingRow, taken, waitFor } from '../lessons/lesson-helpers';
import { dumpDatabase, dumpHistories, tokensHeldBy, tokensSeenByZoom } from '../support/secret-scan';
import { useTestStack } from '../support/use-test-stack';
import { randomDay, uniqueName } from '../support/temporal';

const stack = useTestStack();

/**
 * A full run through every path that touches a credential: connect, book on Zoom, click both
 * join links, reschedule, a sweep that refreshes one token and starts a saga for a revoked one,
 * then cancel. Afterwards no credential may be found in the database, the logs or any history.
 */
test('no credential of a full run is in the database, the logs or any workflow history; no name or email of its people is in any history or memo Temporal stores', async () => {
  const b = booking();
  await connectZoom(stack, b.tutor.id);
  await connectZoom(stack, 'tutor-revoked-secrets');
  const tokens = stack.container.stores.tokens;
  // The Zoom account's email, which the reconnection saga's memo carries.
  const revokedZoomEmail = (await tokens.findByUser('tutor-revoked-secrets'))?.email;
  assert.equal((await api(stack).book(b)).status, 202);
  const row = await waitFor('the Zoom meeting row', async () => {
    const found = await meetingRow(stack, b.id);
    return found?.provider === 'zoom' && found;
  });
  const clicked = await Promise.all(
    [row.joinUrl, row.participantJoinUrl].map(
      async (url) => (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '',
    ),
  );
  const startsAt = new Date(Date.parse(b.startsAt) + 3_600_000);
  await api(stack).reschedule(b.id, {
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
  });
  await waitFor('the reschedule email', async () => emailsFor(stack, b.id, 'rescheduled').length === 2);

  await stack.database
    .db('oauth_service_tokens')
    .where({ user_id: b.tutor.id })
    .update({ expires_at: new Date(0) });
  stack.zoom.revokeToken((await tokens.findByUser('tutor-revoked-secrets'))!.refreshToken);
  const day = randomDay();
  const summary = await stack.temporal.client.workflow.execute('tokenSweepWorkflow', {
    taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
    workflowId: uniqueName('secrets-sweep'),
    args: [{ sweepDate: day, settings: { pageSize: 10, concurrency: 2, maxAttempts: 3 } }],
  });
  assert.equal(summary.sagasStarted, 1);
  const sagaId = `zoom-reconnection/${(await tokens.findByUser('tutor-revoked-secrets'))!.id}/${day}`;
  await stack.temporal.client.workflow.getHandle(sagaId).result();
  assert.equal(await taken(await api(stack).cancel(b.id)), 'taken');
  await waitFor('the Zoom meeting deleted', async () =>
    stack.zoom.meetings().every((m) => String(m.id) !== row.meetingId),
  );
  await waitFor('the cancel emails', async () => emailsFor(stack, b.id, 'cancelled').length === 2);

  const held = await tokensHeldBy(tokens, [b.tutor.id, 'tutor-revoked-secrets']);
  assert.ok(held.length >= 2, 'the tokens the sweep refreshed are looked for too');
  const secrets = [
    ...tokensSeenByZoom(stack.zoom.requests.all()),
    ...held,
    ...clicked.flatMap((url) => {
      const params = new URL(url).searchParams;
      return ['zak', 'pwd', 't'].map((key) => params.get(key)).filter((v): v is string => Boolean(v));
    }),
    stack.env.ZOOM_CLIENT_SECRET,
    stack.env.DAILY_API_KEY,
    stack.env.SENDGRID_API_KEY,
    stack.env.TOKEN_ENCRYPTION_KEY,
    stack.env.PAYLOAD_ENCRYPTION_KEY,
    stack.env.LINK_SIGNING_SECRET,
  ];
  assert.ok(secrets.length >= 10, `found ${secrets.length} credentials to look for`);
  assert.ok(
    clicked.some((url) => url.includes('zak=')),
    'the host link carried a start credential',
  );

  const histories = await waitFor('the histories in visibility', async () => {
    const dump = await dumpHistories(stack.temporal.client, stack.env.TEMPORAL_TASK_QUEUE);
    return dump.runs >= 3 && dump;
  });
  const places = {
    database: await dumpDatabase(stack.database.db),
    logs: stack.logs.join('\n'),
    histories: histories.decoded,
  };
  for (const secret of secrets)
    for (const [place, text] of Object.entries(places))
      assert.ok(!text.includes(secret), `a credential (${secret.slice(0, 4)}…) is in the ${place}`);

  const personalData = [
    b.tutor.name,
    b.tutor.email,
    b.student.name,
    b.student.email,
    revokedZoomEmail,
  ].filter((v): v is string => Boolean(v));
  assert.equal(personalData.length, 5, 'the Zoom account has an email to look for');
  for (const value of personalData) {
    // Decoded, the histories and memos hold them: the search below looks where they would be.
    assert.ok(histories.decoded.includes(value), `decoded histories name ${value}`);
    assert.ok(!histories.stored.includes(value), `${value} is in clear in a stored history or memo`);
  }
});
