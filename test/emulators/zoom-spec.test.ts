import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ZoomEmulator } from '../../emulators/zoom/emulator';
import { loadSpec, validateResponse } from '../support/openapi-validator';
import { api, connect, MEETING, startTestZoom } from './zoom-http-support';

/**
 * The Zoom emulator against Zoom's own OpenAPI description (specs/zoom-meetings.openapi.json):
 * every answer of the operations we use fits its documented status and schema, and the request
 * fields we check are accepted or refused as the spec's request schema says. `/users/me` and the
 * error bodies are not in the spec; the contract tests check those.
 */

const spec = loadSpec(resolve(__dirname, '../../specs/zoom-meetings.openapi.json'));
const createBody = spec.ajv.compile({ $ref: 'spec#/components/schemas/UserIdMeetingsBody' });
let zoom: ZoomEmulator;
let token: string;
type Json = Record<string, unknown>;

async function checked(method: string, template: string, res: Response): Promise<Json | undefined> {
  const text = await res.text();
  const body = text ? (JSON.parse(text) as Json) : undefined;
  assert.deepEqual(
    validateResponse(spec, method, template, res.status, body),
    [],
    `${method} ${template} ${res.status}`,
  );
  return body;
}

void describe('Zoom emulator: answers fit the official spec', () => {
  before(async () => {
    zoom = await startTestZoom();
    token = (await connect(zoom)).access_token;
  });
  after(() => zoom.close());

  void it('create, get, update, list and delete, successes and errors', async () => {
    const full = {
      ...MEETING,
      agenda: 'Chapter 3',
      password: 'abc123',
      settings: {
        join_before_host: false,
        waiting_room: true,
        host_video: true,
        participant_video: false,
        mute_upon_entry: true,
        approval_type: 2,
        audio: 'both',
        auto_recording: 'none',
      },
    };
    const created = await checked(
      'post',
      '/users/{userId}/meetings',
      await api(zoom, token, 'POST', '/users/me/meetings', full),
    );
    const id = String(created?.id);
    await checked(
      'post',
      '/users/{userId}/meetings',
      await api(zoom, token, 'POST', '/users/me/meetings', { topic: 'Instant' }),
    );
    await checked('get', '/meetings/{meetingId}', await api(zoom, token, 'GET', `/meetings/${id}`));
    await checked(
      'patch',
      '/meetings/{meetingId}',
      await api(zoom, token, 'PATCH', `/meetings/${id}`, { duration: 60 }),
    );
    for (const type of ['scheduled', 'upcoming']) {
      const list = await checked(
        'get',
        '/users/{userId}/meetings',
        await api(zoom, token, 'GET', `/users/me/meetings?type=${type}&page_size=1`),
      );
      assert.ok((list?.meetings as unknown[]).length === 1 && list?.next_page_token);
    }
    await checked('delete', '/meetings/{meetingId}', await api(zoom, token, 'DELETE', `/meetings/${id}`));
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const res = await api(
        zoom,
        token,
        method,
        `/meetings/${id}`,
        method === 'PATCH' ? { topic: 'x' } : undefined,
      );
      assert.equal(res.status, 404);
      await checked(method, '/meetings/{meetingId}', res);
    }
    await checked(
      'post',
      '/users/{userId}/meetings',
      await api(zoom, token, 'POST', '/users/me/meetings', { topic: 't'.repeat(201) }),
    );
    await checked(
      'post',
      '/users/{userId}/meetings',
      await api(zoom, token, 'POST', '/users/nobody@example.com/meetings', MEETING),
    );
  });

  void it('accepts and refuses request fields as the spec does', async () => {
    const cases: Json[] = [
      { topic: 't'.repeat(200) },
      { topic: 't'.repeat(201) },
      { password: '1234567890' },
      { password: '12345678901' },
      { agenda: 'a'.repeat(2000) },
      { agenda: 'a'.repeat(2001) },
      { type: 8 },
      { type: 4 },
      { duration: 30 },
      { duration: 'thirty' },
      { settings: { audio: 'voip', auto_recording: 'cloud', approval_type: 0 } },
      { settings: { audio: 'loud' } },
      { settings: { auto_recording: 'tape' } },
      { settings: { approval_type: 3 } },
      { settings: { waiting_room: 'yes' } },
    ];
    for (const fields of cases) {
      const body = { ...MEETING, ...fields };
      const res = await api(zoom, token, 'POST', '/users/me/meetings', body);
      await res.body?.cancel();
      assert.equal(
        res.status === 201,
        createBody(body),
        `${JSON.stringify(fields).slice(0, 60)}: emulator ${res.status}`,
      );
    }
  });
});
