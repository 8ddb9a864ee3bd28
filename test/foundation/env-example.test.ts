import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { serviceEnv } from '../../src/config/service-env';

test('.env.example lists every setting the service reads', () => {
  const text = readFileSync(resolve(__dirname, '../../.env.example'), 'utf8');
  const listed = new Set([...text.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]));
  for (const name of Object.keys(serviceEnv.shape))
    assert.ok(listed.has(name), `${name} is missing from .env.example`);
});
