import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startZoomEmulator, type ZoomEmulator } from '../../emulators/zoom/emulator';
import { isTransient } from '../../src/providers/provider-error';
import { createZoomApiClient } from '../../src/providers/zoom/api-client';
import { createPkcePair, createZoomOAuthClient } from '../../src/providers/zoom/oauth-client';
import type { Lesson } from '../../src/lessons/types';
import {
  createZoomMeetingService,
  lessonAgenda,
  lessonMarker,
  type ZoomMeetingService,
} from '../../src/services/meetings/zoom-meeting-service';
import type { ZoomTokenService } from '../../src/services/zoom-connection/token-service';

/**
 * A retried create finds the meeting its lost attempt made by the lesson marker in the agenda.
 * Zoom's meeting list cuts agendas at 250 characters, so the marker must sit within them.
 */

const REDIRECT = 'https://app.test/cb';
let zoom: ZoomEmulator;
let meetings: ZoomMeetingService;
let zoomUserId: string;

before(async () => {
  zoom = await startZoomEmulator({
    clientId: 'cid',
    clientSecret: 'secret',
    redirectUris: [REDIRECT],
    webhookSecretToken: 'whsec',
  });
  const config = {
    clientId: 'cid',
    clientSecret: 'secret',
    redirectUri: REDIRECT,
    oauthBaseUrl: zoom.oauthBaseUrl,
    apiBaseUrl: zoom.apiBaseUrl,
    timeoutMs: 2000,
  };
  const oauth = createZoomOAuthClient(config);
  zoomUserId = zoom.createUser({ email: 'marker@zoom.test' }).id;
  zoom.setConsent({ decision: 'approve', userId: zoomUserId, for: 'every' });
  const pkce = createPkcePair();
  const answer = await fetch(oauth.authorizeUrl({ state: 's', codeChallenge: pkce.challenge }), {
    redirect: 'manual',
  });
  const code = new URL(answer.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const { access_token: accessToken } = await oauth.exchangeCode({ code, codeVerifier: pkce.verifier });
  // Only withAccessToken is used by the meeting service; the token service has its own tests.
  const tokens = {
    withAccessToken: <T>(_userId: string, call: (token: string) => Promise<T>) => call(accessToken),
  } as unknown as ZoomTokenService;
  meetings = createZoomMeetingService(createZoomApiClient(config), tokens);
});
after(async () => zoom?.close());

function lesson(id: string, studentName: string): Lesson {
  const startsAt = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 86_400_000);
  return {
    id,
    startsAt,
    endsAt: new Date(startsAt.getTime() + 3_600_000),
    tutor: { id: 'tutor-1', email: 'tutor@example.com', name: 'Ada Tutor' },
    student: { id: 'student-1', email: 'student@example.com', name: studentName },
  };
}

test('a create whose answer was lost is found on retry even with the longest student name and lesson id', async () => {
  const l = lesson('L'.repeat(64), 'S'.repeat(200)); // the booking schema's maxima
  zoom.faults.add({ route: 'POST /v2/users/:userId/meetings', reset: 'after', firstN: 1 });
  await assert.rejects(meetings.createMeeting(l), isTransient);
  const made = await meetings.createMeeting(l);
  const mine = zoom.meetings(zoomUserId).filter((m) => String(m.agenda).includes(lessonMarker(l.id)));
  assert.equal(mine.length, 1, 'the retry made no second meeting');
  assert.equal(made.id, mine[0]?.id);
});

test('the agenda still names the student when it fits', async () => {
  const l = lesson('L-short', 'Sam Student');
  const made = await meetings.createMeeting(l);
  assert.match(String(made.agenda), /Sam Student/);
  assert.ok(String(made.agenda).includes(lessonMarker(l.id)));
});

test('a shortened agenda never splits a character and keeps the marker within 250', () => {
  const agenda = lessonAgenda({ id: 'L'.repeat(64), student: lesson('x', '😀'.repeat(200)).student });
  assert.ok(agenda.endsWith(` ${lessonMarker('L'.repeat(64))}`));
  assert.ok(agenda.length <= 250);
  assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(agenda), 'no half surrogate pair');
});
