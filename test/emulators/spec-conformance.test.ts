import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { startDailyEmulator, type DailyEmulator } from '../../emulators/daily/emulator';
import { startSendGridEmulator, type SendGridEmulator } from '../../emulators/sendgrid/emulator';
import { startZoomEmulator, type ZoomEmulator } from '../../emulators/zoom/emulator';
import { loadSpec, validateResponse } from '../support/openapi-validator';

const spec = (name: string) => loadSpec(resolve(__dirname, '../../specs', name));
let zoom: ZoomEmulator;
let daily: DailyEmulator;
let sendgrid: SendGridEmulator;

before(async () => {
  [zoom, daily, sendgrid] = await Promise.all([
    startZoomEmulator({
      clientId: 'cid',
      clientSecret: 'csecret',
      redirectUris: ['http://127.0.0.1:1/cb'],
      webhookSecretToken: 'whs',
    }),
    startDailyEmulator({ apiKey: 'daily-key', roomBaseUrl: 'https://tutoring.daily.co' }), // Daily's own URL shape
    startSendGridEmulator({ apiKey: 'SG.key' }),
  ]);
});
after(async () => Promise.all([zoom?.close(), daily?.close(), sendgrid?.close()]));

async function zoomAccessToken(): Promise<string> {
  const user = zoom.createUser({ email: 'spec@example.com' });
  zoom.setConsent({ decision: 'approve', userId: user.id, for: 'next' });
  const authorize = await fetch(
    `${zoom.url}/oauth/authorize?response_type=code&client_id=cid&redirect_uri=${encodeURIComponent('http://127.0.0.1:1/cb')}&state=s`,
    { redirect: 'manual' },
  );
  const code = new URL(authorize.headers.get('location') as string).searchParams.get('code') as string;
  const token = await fetch(`${zoom.url}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('cid:csecret').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://127.0.0.1:1/cb',
    }),
  });
  return ((await token.json()) as { access_token: string }).access_token;
}

test("Zoom's answers fit Zoom's own OpenAPI description", async () => {
  const zoomSpec = spec('zoom-meetings.openapi.json');
  const auth = { authorization: `Bearer ${await zoomAccessToken()}`, 'content-type': 'application/json' };
  const created = await fetch(`${zoom.apiBaseUrl}/users/me/meetings`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({
      topic: 'Spec',
      type: 2,
      start_time: '2031-01-01T10:00:00Z',
      duration: 30,
      password: 'abc123',
    }),
  });
  assert.equal(created.status, 201);
  const meeting = (await created.json()) as { id: number };
  assert.deepEqual(validateResponse(zoomSpec, 'post', '/users/{userId}/meetings', 201, meeting), []);
  const got = await fetch(`${zoom.apiBaseUrl}/meetings/${meeting.id}`, { headers: auth });
  assert.deepEqual(validateResponse(zoomSpec, 'get', '/meetings/{meetingId}', 200, await got.json()), []);
  const list = await fetch(`${zoom.apiBaseUrl}/users/me/meetings?type=upcoming`, { headers: auth });
  assert.deepEqual(validateResponse(zoomSpec, 'get', '/users/{userId}/meetings', 200, await list.json()), []);
  const missing = await fetch(`${zoom.apiBaseUrl}/meetings/1`, { headers: auth });
  assert.equal(missing.status, 404);
  assert.equal(((await missing.json()) as { code: number }).code, 3001);
});

test("Daily's answers fit Daily's own OpenAPI description where it covers the operation", async () => {
  const dailySpec = spec('daily.openapi.yaml');
  const auth = { authorization: 'Bearer daily-key', 'content-type': 'application/json' };
  const created = await fetch(`${daily.apiBaseUrl}/rooms`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({
      name: 'spec-room',
      privacy: 'private',
      properties: { enable_hand_raising: true },
    }),
  });
  assert.equal(created.status, 200);
  assert.deepEqual(validateResponse(dailySpec, 'post', '/rooms', 200, await created.json()), []);
  const got = await fetch(`${daily.apiBaseUrl}/rooms/spec-room`, { headers: auth });
  assert.deepEqual(validateResponse(dailySpec, 'get', '/rooms/{name}', 200, await got.json()), []);
  const token = await fetch(`${daily.apiBaseUrl}/meeting-tokens`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ properties: { room_name: 'spec-room' } }),
  });
  assert.deepEqual(validateResponse(dailySpec, 'post', '/meeting-tokens', 200, await token.json()), []);
  const deleted = await fetch(`${daily.apiBaseUrl}/rooms/spec-room`, { method: 'DELETE', headers: auth });
  assert.deepEqual(validateResponse(dailySpec, 'delete', '/rooms/{name}', 200, await deleted.json()), []);
});

test("SendGrid's errors fit SendGrid's own OpenAPI description", async () => {
  const sendgridSpec = spec('sendgrid-mail-v3.openapi.json');
  const bad = await fetch(`${sendgrid.apiBaseUrl}/v3/mail/send`, {
    method: 'POST',
    headers: { authorization: 'Bearer SG.key', 'content-type': 'application/json' },
    body: JSON.stringify({ from: { email: 'x@example.com' } }),
  });
  assert.equal(bad.status, 400);
  assert.deepEqual(validateResponse(sendgridSpec, 'post', '/v3/mail/send', 400, await bad.json()), []);
});
