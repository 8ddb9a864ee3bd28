import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { ConfigError, envField, parseEnv } from '../../src/config/parse-env';

const schema = z.object({
  DATABASE_URL: envField.url(),
  PORT: envField.port().default(3000),
  SECRET: envField.secret(16),
});

test('names every missing or bad variable in one message', () => {
  assert.throws(
    () => parseEnv(schema, { PORT: 'eighty', SECRET: 'short' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /DATABASE_URL: is required/);
      assert.match(error.message, /PORT/);
      assert.match(error.message, /SECRET: must be at least 16 characters/);
      assert.equal(error.problems.length, 3);
      return true;
    },
  );
});

test('applies defaults and treats empty values as unset', () => {
  const env = parseEnv(schema, { DATABASE_URL: 'postgres://x@h/db', PORT: '', SECRET: 'a'.repeat(16) });
  assert.equal(env.PORT, 3000);
});
