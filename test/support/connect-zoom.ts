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

/** The tutor approves our app for an existing Zoom user (a first connection or a reconnection). */
export async function authorizeZoom(stack: TestStack, tutorId: string, zoomUserId: string): Promise<void> {
  stack.zoom.setConsent({ decision: 'approve', userId: zoomUserId, for: 'next' });
  const browser = new Browser();
  const jwt = await platformJwt(stack.env.PLATFORM_JWT_SECRET, tutorId, { issuedAt: stack.clock.now() });
  const start = await browser.get(`${stack.api.url}/integrations/zoom/connect?token=${jwt}`);
  assert.equal((await browser.get(location(await browser.get(location(start))))).status, 200);
}
