import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ZoomEmulator } from '../../emulators/zoom/emulator';
import { api, connect, MEETING, startTestZoom } from './zoom-http-support';

/** Zoom REST through plain fetch: users/me, meetings, limits, links, faults by user. */

let zoom: ZoomEmulator;
let token: string;
type Json = Record<string, unknown>;

void describe('Zoom emulator: REST over HTTP', () => {
  before(async () => {
    zoom = await startTestZoom({ accessTokenTtlSeconds: 30 * 86_400 });
    token = (await connect(zoom)).access_token;
  });
  after(() => zoom.close());

  void it('answers /users/me with the profile and a tracking id', async () => {
    const res = await api(zoom, token, 'GET', '/users/me');
    assert.equal(res.status, 200);
    assert.ok(res.headers.get('x-zm-trackingid'));
    const me = (await res.json()) as Json;
    for (const key of [
      'id',
      'email',
      'first_name',
      'last_name',
      'display_name',
      'account_id',
      'type',
      'timezone',
      'status',
    ]) {
      assert.ok(key in me, key);
    }
    const bad = await api(zoom, 'not-a-token', 'GET', '/users/me');
    assert.deepEqual([bad.status, await bad.json()], [401, { code: 124, message: 'Invalid access token.' }]);
    assert.ok(bad.headers.get('x-zm-trackingid'));
    const none = await fetch(`${zoom.apiBaseUrl}/users/me`);
    assert.equal(none.status, 401);
  });

  void it('creates a new meeting on every call and serves it back', async () => {
    const a = await api(zoom, token, 'POST', '/users/me/meetings', MEETING);
    const b = await api(zoom, token, 'POST', '/users/me/meetings', MEETING);
    assert.deepEqual([a.status, b.status], [201, 201]);
    const [ma, mb] = [(await a.json()) as Json, (await b.json()) as Json];
    assert.notEqual(ma.id, mb.id);
    for (const key of [
      'id',
      'uuid',
      'host_id',
      'host_email',
      'topic',
      'type',
      'start_time',
      'duration',
      'timezone',
      'created_at',
      'join_url',
      'start_url',
      'password',
      'encrypted_password',
      'settings',
    ]) {
      assert.ok(key in ma, key);
    }
    const got = await api(zoom, token, 'GET', `/meetings/${String(ma.id)}`);
    assert.equal(got.status, 200);
    const again = (await got.json()) as Json;
    assert.equal(again.topic, MEETING.topic);
    assert.notEqual(again.start_url, ma.start_url, 'a fresh start_url on every GET');
    const byId = await api(zoom, token, 'POST', `/users/${String(ma.host_id)}/meetings`, MEETING);
    assert.equal(byId.status, 201);
  });

  void it('updates (204, no body), deletes (204) and answers 3001 for a missing meeting', async () => {
    const created = (await (await api(zoom, token, 'POST', '/users/me/meetings', MEETING)).json()) as Json;
    const id = String(created.id);
    const patched = await api(zoom, token, 'PATCH', `/meetings/${id}`, {
      start_time: '2031-03-02T16:00:00Z',
    });
    assert.equal(patched.status, 204);
    assert.equal(await patched.text(), '');
    const moved = (await (await api(zoom, token, 'GET', `/meetings/${id}`)).json()) as Json;
    assert.equal(moved.start_time, '2031-03-02T16:00:00Z');
    assert.equal((await api(zoom, token, 'DELETE', `/meetings/${id}`)).status, 204);
    for (const [method, body] of [['GET'], ['PATCH', { topic: 'x' }], ['DELETE']] as const) {
      const res = await api(zoom, token, method, `/meetings/${id}`, body);
      assert.deepEqual(
        [res.status, await res.json()],
        [404, { code: 3001, message: `Meeting does not exist: ${id}.` }],
        method,
      );
    }
  });

  void it('validates as Zoom does: 300 Validation Failed with the fields', async () => {
    const res = await api(zoom, token, 'POST', '/users/me/meetings', {
      ...MEETING,
      topic: 't'.repeat(201),
      password: '12345678901',
    });
    assert.equal(res.status, 400);
    const body = (await res.json()) as {
      code: number;
      message: string;
      errors: Array<{ field: string; message: string }>;
    };
    assert.equal(body.code, 300);
    assert.equal(body.message, 'Validation Failed.');
    assert.deepEqual(body.errors.map((e) => e.field).sort(), ['password', 'topic']);
    const notJson = await fetch(`${zoom.apiBaseUrl}/users/me/meetings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{nope',
    });
    assert.deepEqual(
      [notJson.status, await notJson.json()],
      [400, { code: 300, message: 'Request Body should be a valid JSON object.' }],
    );
  });

  void it('lists scheduled and upcoming meetings with page_size and next_page_token', async () => {
    const tutor = zoom.createUser({ email: 'lister@example.com' });
    const own = (await connect(zoom, tutor.id)).access_token;
    for (let day = 10; day < 15; day++)
      await api(zoom, own, 'POST', '/users/me/meetings', {
        ...MEETING,
        start_time: `2031-04-${day}T09:00:00Z`,
      });
    const first = (await (
      await api(zoom, own, 'GET', '/users/me/meetings?type=upcoming&page_size=2')
    ).json()) as Json;
    assert.equal(first.total_records, 5);
    assert.equal((first.meetings as unknown[]).length, 2);
    let seen = 2;
    let next = String(first.next_page_token);
    while (next) {
      const page = (await (
        await api(
          zoom,
          own,
          'GET',
          `/users/${tutor.id}/meetings?type=upcoming&page_size=2&next_page_token=${next}`,
        )
      ).json()) as Json;
      seen += (page.meetings as unknown[]).length;
      next = String(page.next_page_token);
    }
    assert.equal(seen, 5);
    assert.equal(
      ((await (await api(zoom, own, 'GET', '/users/me/meetings?type=scheduled')).json()) as Json)
        .total_records,
      5,
    );
  });

  void it("cuts a listed meeting's agenda at 250 characters; GET /meetings/{id} keeps it whole", async () => {
    const tutor = zoom.createUser({ email: 'agenda@example.com' });
    const own = (await connect(zoom, tutor.id)).access_token;
    const agenda = `${'a'.repeat(249)}é${'b'.repeat(100)}`;
    const created = (await (
      await api(zoom, own, 'POST', '/users/me/meetings', { ...MEETING, agenda })
    ).json()) as Json;
    const list = (await (await api(zoom, own, 'GET', '/users/me/meetings?type=upcoming')).json()) as {
      meetings: Json[];
    };
    assert.equal(list.meetings[0]?.agenda, agenda.slice(0, 250));
    const whole = (await (await api(zoom, own, 'GET', `/meetings/${String(created.id)}`)).json()) as Json;
    assert.equal(whole.agenda, agenda);
  });

  void it('answers 1001 for a deleted user', async () => {
    const gone = zoom.createUser();
    const own = (await connect(zoom, gone.id)).access_token;
    assert.equal(
      (await fetch(`${zoom.url}/_emulator/zoom/users/${gone.id}`, { method: 'DELETE' })).status,
      204,
    );
    const res = await api(zoom, own, 'GET', '/users/me');
    assert.deepEqual(
      [res.status, await res.json()],
      [404, { code: 1001, message: `User does not exist: ${gone.id}.` }],
    );
  });

  void it('enforces the shared daily create/update limit with an ISO Retry-After', async () => {
    const host = zoom.createUser();
    const own = (await connect(zoom, host.id)).access_token;
    zoom.updateSettings({ dailyMeetingLimit: 2, dailyLimitRetryAfter: { secondsAhead: 3 } });
    try {
      const id = String(
        ((await (await api(zoom, own, 'POST', '/users/me/meetings', MEETING)).json()) as Json).id,
      );
      assert.equal((await api(zoom, own, 'PATCH', `/meetings/${id}`, { topic: 'changed' })).status, 204);
      const limited = await api(zoom, own, 'POST', '/users/me/meetings', MEETING);
      assert.equal(limited.status, 429);
      assert.deepEqual(await limited.json(), {
        code: 429,
        message:
          'You have exceeded the daily rate limit (2) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.',
      });
      const retryAfter = limited.headers.get('retry-after') ?? '';
      assert.match(retryAfter, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const wait = Date.parse(retryAfter) - zoom.clock.nowMs();
      assert.ok(wait > 0 && wait <= 4000, `Retry-After a few seconds ahead, got ${wait} ms`);
      assert.equal(limited.headers.get('x-ratelimit-type'), 'Daily-limit');
      assert.equal(limited.headers.get('x-ratelimit-limit'), '2');
      assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
      assert.ok(limited.headers.get('x-ratelimit-category'));
      const other = (await connect(zoom, zoom.createUser().id)).access_token;
      assert.equal((await api(zoom, other, 'POST', '/users/me/meetings', MEETING)).status, 201, 'per host');
      zoom.clock.advance(wait);
      assert.equal(
        (await api(zoom, own, 'POST', '/users/me/meetings', MEETING)).status,
        201,
        'lifted when it said',
      );
    } finally {
      zoom.updateSettings({ dailyMeetingLimit: 100 });
    }
  });

  void it('answers the per-second limit with 429 and Retry-After in seconds', async () => {
    zoom.updateSettings({ perSecondLimit: 3 });
    try {
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => api(zoom, token, 'GET', '/users/me')),
      );
      const limited = answers.find((r) => r.status === 429);
      assert.ok(limited, 'some answers are 429');
      assert.deepEqual(await limited.json(), {
        code: 429,
        message: 'You have reached the maximum per-second rate limit for this API. Try again later.',
      });
      assert.match(limited.headers.get('retry-after') ?? '', /^\d+$/);
      assert.equal(limited.headers.get('x-ratelimit-type'), 'QPS');
    } finally {
      zoom.updateSettings({ perSecondLimit: undefined });
    }
  });

  void it('serves start and join pages; the start link expires after two hours', async () => {
    const m = (await (await api(zoom, token, 'POST', '/users/me/meetings', MEETING)).json()) as Json;
    const start = await fetch(String(m.start_url));
    assert.equal(start.status, 200);
    assert.match(await start.text(), /Starting meeting/);
    zoom.clock.advance(2 * 3600_000);
    const stale = await fetch(String(m.start_url));
    assert.equal(stale.status, 403);
    assert.match(await stale.text(), /expired/);
    assert.equal((await fetch(String(m.join_url))).status, 200);
    const fresh = (await (await api(zoom, token, 'GET', `/meetings/${String(m.id)}`)).json()) as Json;
    assert.equal((await fetch(String(fresh.start_url))).status, 200);
    assert.equal((await fetch(`${zoom.url}/j/12345678901`)).status, 404);
  });

  void it('matches fault rules by the Zoom user behind the token', async () => {
    const victim = zoom.createUser();
    const own = (await connect(zoom, victim.id)).access_token;
    zoom.faults.add({ route: 'POST /v2/users/:userId/meetings', user: victim.id, status: 503, firstN: 1 });
    assert.equal(
      (await api(zoom, token, 'POST', '/users/me/meetings', MEETING)).status,
      201,
      'another user is untouched',
    );
    const failed = await api(zoom, own, 'POST', '/users/me/meetings', MEETING);
    assert.equal(failed.status, 503);
    assert.deepEqual(await failed.json(), { code: 503, message: 'Injected fault' });
    assert.equal((await api(zoom, own, 'POST', '/users/me/meetings', MEETING)).status, 201);
  });
});
