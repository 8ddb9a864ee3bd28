import assert from 'node:assert/strict';
import { test } from 'node:test';
import Router from '@koa/router';
import { createApp } from '../../src/api/app';
import { createJoinLinksArea } from '../../src/api/routes/join-links';
import { createLogger } from '../../src/logger';
import { ProviderError } from '../../src/providers/provider-error';
import { useTestStack } from '../support/use-test-stack';
import { api, booking, connectZoom, emailsFor, meetingRow, waitFor } from '../lessons/lesson-helpers';

const stack = useTestStack();

async function zoomLessonLink(): Promise<{ tutorId: string; link: string }> {
  const b = booking();
  await connectZoom(stack, b.tutor.id);
  await api(stack).book(b);
  const row = await waitFor('row', () => meetingRow(stack, b.id));
  assert.equal(row.provider, 'zoom');
  return { tutorId: b.tutor.id, link: row.participantJoinUrl };
}

/** A browser page: HTML, a 5xx of ours, and nothing of the provider's own answer. */
async function assertFriendlyPage(res: Response, status: number): Promise<string> {
  const body = await res.text();
  assert.equal(res.status, status, body);
  assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  assert.doesNotMatch(body, /zoom:|\/v2\/|answered|bad_request/i);
  return body;
}

/** The lesson moves to a Daily room, and the same join link then leads there. */
async function assertLinkLeadsToDaily(link: string, lessonId: string): Promise<void> {
  const row = await waitFor('the lesson on Daily', async () => {
    const moved = await meetingRow(stack, lessonId);
    return moved?.provider === 'daily' && moved;
  });
  const again = await fetch(link, { redirect: 'manual' });
  assert.equal(again.status, 302, 'the same link now leads to the Daily room');
  assert.ok(again.headers.get('location')?.startsWith(row.roomUrl ?? '-'));
}

test('a join link whose Zoom meeting answers 401, 429 or 500 is a friendly 5xx page, never the provider status', async () => {
  const { link } = await zoomLessonLink();
  for (const [zoomStatus, ours] of [
    [429, 503],
    [500, 503],
    [401, 502],
  ] as const) {
    const fault = stack.zoom.faults.add({ route: 'GET /v2/meetings/:meetingId', status: zoomStatus });
    try {
      const res = await fetch(link, { redirect: 'manual' });
      await assertFriendlyPage(res, ours);
      if (ours === 503)
        assert.ok(Number(res.headers.get('retry-after')) > 0, `Retry-After for ${zoomStatus}`);
    } finally {
      stack.zoom.faults.remove(fault);
    }
  }
  assert.equal((await fetch(link, { redirect: 'manual' })).status, 302, 'the link works again');
});

test("a join link for a Zoom lesson whose tutor's connection is gone moves the lesson to Daily, and then leads there", async () => {
  const { tutorId, link } = await zoomLessonLink();
  await stack.database.db('oauth_service_tokens').where({ user_id: tutorId }).delete();
  const res = await fetch(link, { redirect: 'manual' });
  const body = await assertFriendlyPage(res, 503);
  assert.match(body, /Daily\.co/);
  assert.match(body, /this same link/i);
  assert.ok(Number(res.headers.get('retry-after')) > 0);
  const lessonId = new URL(link).pathname.split('/')[2] as string;
  await assertLinkLeadsToDaily(link, lessonId);
});

test('a 404 that is not Zoom\'s own "Meeting does not exist" (a misrouted URL) is a friendly 502 and moves nothing', async () => {
  const { link } = await zoomLessonLink();
  const lessonId = new URL(link).pathname.split('/')[2] as string;
  const fault = stack.zoom.faults.add({
    route: 'GET /v2/meetings/:meetingId',
    status: 404,
    body: 'Not Found',
  });
  try {
    await assertFriendlyPage(await fetch(link, { redirect: 'manual' }), 502);
  } finally {
    stack.zoom.faults.remove(fault);
  }
  assert.equal((await fetch(link, { redirect: 'manual' })).status, 302, 'the link works again');
  assert.equal((await meetingRow(stack, lessonId))?.provider, 'zoom', 'still on Zoom');
});

test('a join link whose Zoom meeting was deleted in Zoom moves the lesson to Daily, and then leads there', async () => {
  const { tutorId, link } = await zoomLessonLink();
  const lessonId = new URL(link).pathname.split('/')[2] as string;
  const zoomRow = await meetingRow(stack, lessonId);
  // The tutor deletes the meeting in their Zoom account; their connection stays.
  await stack.container.services.zoomMeetings.deleteMeeting(tutorId, zoomRow?.meetingId ?? '-');
  const res = await fetch(link, { redirect: 'manual' });
  const body = await assertFriendlyPage(res, 503);
  assert.match(body, /no longer exists/);
  assert.match(body, /Daily\.co/);
  assert.ok(Number(res.headers.get('retry-after')) > 0);
  await assertLinkLeadsToDaily(link, lessonId);
  const moved = await waitFor('the moved emails', async () => {
    const sent = emailsFor(stack, lessonId, 'moved-to-daily');
    return sent.length === 2 && sent;
  });
  assert.match(moved[0]?.text ?? '', /deleted in Zoom/);
});

test('JSON routes: a provider error is a generic 502/503, never its own status or message', async () => {
  const router = new Router();
  router.get('/gone', () => {
    throw new ProviderError({
      provider: 'zoom',
      kind: 'not-found',
      status: 404,
      message: 'GET /v2/meetings/1 answered 404',
    });
  });
  router.get('/busy', () => {
    throw new ProviderError({ provider: 'zoom', kind: 'transient', status: 429, message: 'answered 429' });
  });
  const app = createApp({ logger: createLogger({ level: 'silent' }), areas: [{ router, routes: [] }] });
  const server = app.listen(0);
  const { port } = server.address() as { port: number };
  try {
    for (const [path, status] of [
      ['/gone', 502],
      ['/busy', 503],
    ] as const) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      const body = (await res.json()) as { error: string; message: string };
      assert.equal(res.status, status);
      assert.equal(body.error, 'provider_unavailable');
      assert.doesNotMatch(body.message, /answered|v2/);
    }
    const wrongMethod = await fetch(`http://127.0.0.1:${port}/gone`, { method: 'POST' });
    assert.equal(wrongMethod.status, 405, "Koa's own client errors keep their status");
  } finally {
    server.close();
  }
});

test('a dead Zoom connection still gets the friendly page when the move to Daily cannot be asked for (Temporal away)', async () => {
  const { tutorId, link } = await zoomLessonLink();
  await stack.database.db('oauth_service_tokens').where({ user_id: tutorId }).delete();
  const { env, services, stores, clock } = stack.container;
  const area = createJoinLinksArea({
    linkSecret: env.LINK_SIGNING_SECRET,
    clock,
    meetings: services.lessonMeetings,
    meetingsStore: stores.meetings,
    zoom: services.zoomMeetings,
    daily: services.dailyMeetings,
    logger: createLogger({ level: 'silent' }),
    moveToDaily: () => Promise.reject(new Error('Temporal is unavailable')),
  });
  const server = createApp({ logger: createLogger({ level: 'silent' }), areas: [area] }).listen(0);
  const { port } = server.address() as { port: number };
  try {
    const url = new URL(link);
    const res = await fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, { redirect: 'manual' });
    assert.match(await assertFriendlyPage(res, 503), /Daily\.co/);
  } finally {
    server.close();
  }
});

test("clicks on one link in a burst share one provider call; the other person's link is minted for them", async () => {
  const b = booking();
  assert.equal((await api(stack).book(b)).status, 202);
  const row = await waitFor('the Daily meeting', () => meetingRow(stack, b.id));
  const tokenCalls = () =>
    stack.daily.requests
      .find({ method: 'POST' })
      .filter((r) => r.path.endsWith('/meeting-tokens') && r.body.includes(row.meetingId)).length;
  const clicks = await Promise.all(
    Array.from({ length: 20 }, () => fetch(row.participantJoinUrl, { redirect: 'manual' })),
  );
  assert.deepEqual([...new Set(clicks.map((c) => c.status))], [302]);
  assert.equal(new Set(clicks.map((c) => c.headers.get('location'))).size, 1, 'one URL for all');
  assert.equal(tokenCalls(), 1, 'one meeting token for 20 clicks');
  assert.equal((await fetch(row.joinUrl, { redirect: 'manual' })).status, 302);
  assert.equal(tokenCalls(), 2, "the tutor's link is minted for the tutor");
});
