import { generateKey } from '../../src/crypto/key-ring';

/** Every setting the worker and the API require, valid and fake: a test changes only what it checks. */
export const requiredServiceSettings = (): Record<string, string> => ({
  DATABASE_URL: 'postgres://x@127.0.0.1/db',
  TOKEN_ENCRYPTION_KEY: generateKey(),
  PAYLOAD_ENCRYPTION_KEY: generateKey(),
  PLATFORM_JWT_SECRET: 'p'.repeat(32),
  BOOKING_API_TOKEN: 'b'.repeat(24),
  LINK_SIGNING_SECRET: 'l'.repeat(32),
  ZOOM_CLIENT_ID: 'client',
  ZOOM_CLIENT_SECRET: 'client-secret',
  ZOOM_REDIRECT_URI: 'http://127.0.0.1:3000/integrations/zoom/callback',
  ZOOM_WEBHOOK_SECRET_TOKEN: 'webhook-secret',
  DAILY_API_KEY: 'daily-key',
  SENDGRID_API_KEY: 'SG.sendgrid-key',
  MAIL_FROM: 'lessons@example.com',
});
