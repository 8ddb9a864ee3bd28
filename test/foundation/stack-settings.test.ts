import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiSettings } from '../../scripts/lib/stack-settings';

test('`npm start` treats an empty variable as unset, as the service does', () => {
  assert.deepEqual(apiSettings({ PORT: '', PUBLIC_BASE_URL: '', ZOOM_REDIRECT_URI: '', MAIL_FROM: '' }), {
    PORT: '3000',
    PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
    ZOOM_REDIRECT_URI: 'http://127.0.0.1:3000/integrations/zoom/callback',
    MAIL_FROM: 'lessons@tutor-meetings.test',
  });
});

test("`npm start` builds the OAuth redirect from a PUBLIC_BASE_URL with a trailing slash without a '//' path", () => {
  const settings = apiSettings({ PORT: '4000', PUBLIC_BASE_URL: 'https://meetings.example.com/' });
  assert.equal(settings.PUBLIC_BASE_URL, 'https://meetings.example.com');
  assert.equal(settings.ZOOM_REDIRECT_URI, 'https://meetings.example.com/integrations/zoom/callback');
});
