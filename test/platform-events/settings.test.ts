import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { systemClock } from '../../src/clock';
import { ConfigError, parseEnv } from '../../src/config/parse-env';
import type { PlatformEventsStore } from '../../src/db/stores/platform-events-store';
import { createLogger } from '../../src/logger';
import { platformEventsEnv, platformWebhookFromEnv } from '../../src/services/platform-events/env';
import { createPlatformEvents } from '../../src/services/platform-events/platform-events';

const secret = `whsec_${randomBytes(32).toString('base64')}`;

test('PLATFORM_WEBHOOK_SECRET must be a whsec_ secret, and is required with PLATFORM_WEBHOOK_URL', () => {
  const url = 'https://platform.example.com/events';
  assert.equal(platformWebhookFromEnv(parseEnv(platformEventsEnv, {})), undefined, 'unset: no events');
  assert.throws(
    () => platformWebhookFromEnv(parseEnv(platformEventsEnv, { PLATFORM_WEBHOOK_URL: url })),
    (error: unknown) =>
      error instanceof ConfigError && /PLATFORM_WEBHOOK_SECRET: is required/.test(error.message),
  );
  for (const bad of ['secret', 'whsec_', `whsec_${randomBytes(8).toString('base64')}`, 'whsec_!!!!'])
    assert.throws(
      () => parseEnv(platformEventsEnv, { PLATFORM_WEBHOOK_SECRET: bad }),
      /PLATFORM_WEBHOOK_SECRET/,
    );
  const env = parseEnv(platformEventsEnv, { PLATFORM_WEBHOOK_URL: url, PLATFORM_WEBHOOK_SECRET: secret });
  assert.deepEqual(platformWebhookFromEnv(env), { url, secret, timeoutMs: 10_000 });
});

test('without PLATFORM_WEBHOOK_URL no event is recorded, and nothing is woken', async () => {
  let inserts = 0;
  let wakes = 0;
  const events = createPlatformEvents({
    store: { insert: async () => (inserts++, true) } as unknown as PlatformEventsStore,
    clock: systemClock,
    logger: createLogger({ level: 'silent' }),
    enabled: false,
    deliveryWindowMs: 1000,
    wake: async () => void wakes++,
  });
  const data = { tutorId: 't', state: 'connected', reconnected: false } as const;
  assert.equal(await events.record('zoom.connected', data, undefined), false);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual([inserts, wakes], [0, 0]);
});
