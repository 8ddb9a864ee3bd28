import assert from 'node:assert/strict';
import { Browser, location, platformJwt } from './browser';
import type { TestStack } from './stack';

/** Connects a tutor's Zoom account through the real browser flow; returns the Zoom user id. */
export async function connectZoom(
  stack: TestStack,
  tutorId: string,
  email = `${tutorId}@zoom.example.com`,
): Promise<string> {
  const user = stack.zoom.createUser({ email });
  await authorizeZoom(stack, tutorId, user.id);
  return user.id;
}

/** The platform's backend makes a connect session for the user behind `jwtUserId`: its URL. */
export async function createConnectSession(stack: TestStack, jwtUserId: string): Promise<Response> {
  return fetch(`${stack.api.url}/integrations/zoom/connect-sessions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await platformJwt(stack.env.PLATFORM_JWT_SECRET, jwtUserId, { issuedAt: stack.clock.now() })}`,
    },
  });
}

/** A connect session's URL, made for the user behind `jwtUserId`. */
export async function connectSessionUrl(stack: TestStack, jwtUserId: string): Promise<string> {
  const res = await createConnectSession(stack, jwtUserId);
  assert.equal(res.status, 201, await res.clone().text());
  return ((await res.json()) as { url: string }).url;
}

/**
 * A browser opens `startUrl` (a session URL or a reconnect link) and approves at Zoom as
 * `zoomUserId`; returns where the callback sent it (the platform's page, or an error).
 */
export async function approveAtZoom(
  stack: TestStack,
  startUrl: string,
  zoomUserId: string,
  browser = new Browser(),
): Promise<{ browser: Browser; landing: Response }> {
  stack.zoom.setConsent({ decision: 'approve', userId: zoomUserId, for: 'next' });
  const start = await browser.get(startUrl);
  const zoomAnswer = await browser.get(location(start));
  return { browser, landing: await browser.get(location(zoomAnswer)) };
}

/** The one-time grant code in the platform redirect `?zoom=pending&grant=`. */
export function grantCodeOf(landing: Response): string {
  const target = new URL(location(landing));
  assert.equal(target.searchParams.get('zoom'), 'pending', target.toString());
  return target.searchParams.get('grant') as string;
}

/** The platform's backend confirms for the user logged in on its page. */
export async function confirmGrant(stack: TestStack, code: string, jwtUserId: string): Promise<Response> {
  return fetch(`${stack.api.url}/integrations/zoom/grants/${encodeURIComponent(code)}/confirm`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await platformJwt(stack.env.PLATFORM_JWT_SECRET, jwtUserId, { issuedAt: stack.clock.now() })}`,
    },
  });
}

/** The tutor approves our app for an existing Zoom user (a first connection or a reconnection). */
export async function authorizeZoom(stack: TestStack, tutorId: string, zoomUserId: string): Promise<void> {
  const { landing } = await approveAtZoom(stack, await connectSessionUrl(stack, tutorId), zoomUserId);
  const confirmed = await confirmGrant(stack, grantCodeOf(landing), tutorId);
  assert.equal(confirmed.status, 200, await confirmed.clone().text());
}
