import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BASE, bearer, bodyOf, connect, request, setup } from './zoom-support';

/** The Zoom domain model without HTTP: meetings, validation, limits, links, snapshot. */

const MEETING = {
  topic: 'Algebra',
  type: 2,
  start_time: '2030-01-20T15:00:00Z',
  duration: 45,
  timezone: 'UTC',
};

function world(overrides: Parameters<typeof setup>[0] = {}) {
  // Long-lived tokens: these tests move the clock by hours and days.
  const { model, clock } = setup({ accessTokenTtlSeconds: 30 * 86_400, ...overrides });
  const { access } = connect(model);
  const headers = { ...bearer(access), 'content-type': 'application/json' };
  const create = (body: unknown = MEETING) =>
    model.createMeeting(
      request('POST', '/v2/users/me/meetings', { headers, body: JSON.stringify(body) }),
      'me',
      BASE,
    );
  const get = (id: unknown) =>
    model.getMeeting(request('GET', `/v2/meetings/${String(id)}`, { headers }), String(id), BASE);
  const patch = (id: unknown, body: unknown) =>
    model.updateMeeting(
      request('PATCH', `/v2/meetings/${String(id)}`, { headers, body: JSON.stringify(body) }),
      String(id),
    );
  const list = (query: Record<string, string> = {}) =>
    model.listMeetings(request('GET', '/v2/users/me/meetings', { headers, query }), 'me', BASE);
  return { model, clock, headers, create, get, patch, list };
}

void describe('Zoom model: meetings', () => {
  void it('creates a new meeting on every call, with Zoom-shaped links', () => {
    const { create } = world();
    const a = bodyOf(create());
    const b = bodyOf(create());
    assert.notEqual(a.id, b.id);
    assert.ok(Number.isSafeInteger(a.id) && Number(a.id) > 9_999_999_999);
    assert.equal(a.start_time, '2030-01-20T15:00:00Z');
    assert.match(String(a.start_url), new RegExp(`^${BASE}/s/${String(a.id)}\\?zak=`));
    assert.match(String(a.join_url), new RegExp(`^${BASE}/j/${String(a.id)}\\?pwd=`));
    assert.equal(a.host_email, 'demo.tutor@example.com');
  });

  void it('reads a local start_time in the given time zone', () => {
    const { create } = world();
    const m = bodyOf(create({ ...MEETING, start_time: '2030-07-01T09:30:00', timezone: 'Europe/Paris' }));
    assert.equal(m.start_time, '2030-07-01T07:30:00Z');
  });

  void it('answers Validation Failed with the offending fields', () => {
    const { create } = world();
    const reply = create({
      topic: 'x'.repeat(201),
      type: 5,
      start_time: '2030-01-20 15:00',
      password: 'p'.repeat(11),
      agenda: 'a'.repeat(2001),
    });
    assert.equal(reply.status, 400);
    const body = bodyOf(reply);
    assert.equal(body.code, 300);
    assert.equal(body.message, 'Validation Failed.');
    const fields = (body.errors as Array<{ field: string }>).map((e) => e.field).sort();
    assert.deepEqual(fields, ['agenda', 'password', 'start_time', 'topic', 'type']);
    assert.deepEqual(create('[1]' as unknown).body, {
      code: 300,
      message: 'Request Body should be a valid JSON object.',
    });
  });

  void it('updates with 204, answers 3001 for a missing meeting, deletes with 204', () => {
    const { model, create, get, patch, headers } = world();
    const id = bodyOf(create()).id;
    assert.equal(patch(id, { topic: 'Geometry', start_time: '2030-01-21T10:00:00Z' }).status, 204);
    assert.equal(bodyOf(get(id)).topic, 'Geometry');
    assert.equal(bodyOf(get(id)).start_time, '2030-01-21T10:00:00Z');
    const del = model.deleteMeeting(request('DELETE', `/v2/meetings/${String(id)}`, { headers }), String(id));
    assert.equal(del.status, 204);
    assert.deepEqual(get(id).body, { code: 3001, message: `Meeting does not exist: ${String(id)}.` });
    assert.equal(patch(id, { topic: 'x' }).status, 404);
  });

  void it('lists upcoming meetings page by page', () => {
    const { create, list, clock } = world();
    for (let day = 16; day < 21; day++) create({ ...MEETING, start_time: `2030-01-${day}T10:00:00Z` });
    create({ ...MEETING, start_time: '2030-01-10T10:00:00Z' });
    const first = bodyOf(list({ type: 'upcoming', page_size: '3' }));
    assert.equal(first.total_records, 5);
    assert.equal((first.meetings as unknown[]).length, 3);
    const second = bodyOf(
      list({ type: 'upcoming', page_size: '3', next_page_token: String(first.next_page_token) }),
    );
    assert.equal((second.meetings as unknown[]).length, 2);
    assert.equal(second.next_page_token, '');
    assert.equal(bodyOf(list()).total_records, 6);
    clock.ms += 3 * 86_400_000;
    assert.equal(bodyOf(list({ type: 'upcoming' })).total_records, 2);
    assert.equal(list({ type: 'nope' }).status, 400);
  });

  void it('enforces the daily create/update limit with an ISO Retry-After that tells the truth', () => {
    const { create, patch, clock } = world({
      dailyMeetingLimit: 3,
      dailyLimitRetryAfter: { secondsAhead: 5 },
    });
    const id = bodyOf(create()).id;
    create();
    assert.equal(patch(id, { topic: 'y' }).status, 204);
    const limited = create();
    assert.equal(limited.status, 429);
    assert.deepEqual(limited.body, {
      code: 429,
      message:
        'You have exceeded the daily rate limit (3) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.',
    });
    assert.equal(limited.headers?.['Retry-After'], '2030-01-15T12:00:05Z');
    assert.equal(limited.headers?.['X-RateLimit-Type'], 'Daily-limit');
    clock.ms += 5000;
    assert.equal(create().status, 201);
  });

  void it('points Retry-After at GMT midnight when asked', () => {
    const { create } = world({ dailyMeetingLimit: 1, dailyLimitRetryAfter: 'midnight' });
    create();
    assert.equal(create().headers?.['Retry-After'], '2030-01-16T00:00:00Z');
  });

  void it('answers the per-second limit with Retry-After in seconds', () => {
    const { get, model } = world({ perSecondLimit: 2 });
    assert.equal(get(1).status, 404);
    assert.equal(get(1).status, 404);
    const limited = get(1);
    assert.equal(limited.status, 429);
    assert.equal(
      bodyOf(limited).message,
      'You have reached the maximum per-second rate limit for this API. Try again later.',
    );
    assert.equal(limited.headers?.['Retry-After'], '1');
    assert.equal(limited.headers?.['X-RateLimit-Type'], 'QPS');
    model.updateSettings({ perSecondLimit: undefined });
    assert.equal(get(1).status, 404);
  });

  void it('expires start links after two hours; join links keep working', () => {
    const { model, create, get, clock } = world();
    const m = bodyOf(create());
    const start = new URL(String(m.start_url));
    const join = new URL(String(m.join_url));
    const open = (url: URL) =>
      (url.pathname.startsWith('/s/') ? model.startPage : model.joinPage).call(
        model,
        url.pathname.slice(3),
        url.searchParams,
      );
    assert.equal(open(start).status, 200);
    clock.ms += 7200_000;
    assert.equal(open(start).status, 403);
    assert.equal(open(join).status, 200);
    assert.equal(open(new URL(String(bodyOf(get(m.id)).start_url))).status, 200);
  });

  void it('answers 1001 once the user is deleted', () => {
    const { model, headers } = world();
    model.deleteUser('demo.tutor@example.com');
    const reply = model.getUser(request('GET', '/v2/users/me', { headers }), 'me', BASE);
    assert.deepEqual(
      [reply.status, reply.body],
      [404, { code: 1001, message: 'User does not exist: ZoomDemoTutor000000001.' }],
    );
  });

  void it('restores users, tokens and meetings from a snapshot', () => {
    const { model, create, headers } = world();
    const id = bodyOf(create()).id;
    const copy = setup().model;
    copy.restore(JSON.parse(JSON.stringify(model.snapshot())));
    const reply = copy.getMeeting(
      request('GET', `/v2/meetings/${String(id)}`, { headers }),
      String(id),
      BASE,
    );
    assert.equal(reply.status, 200);
  });
});
