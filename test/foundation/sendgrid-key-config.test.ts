import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { ConfigError, parseEnv } from '../../src/config/parse-env';
import { serviceEnv } from '../../src/config/service-env';
import { requiredServiceSettings } from '../support/service-settings';

const root = resolve(__dirname, '../..');
const VARIABLE = 'SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY';

/** Every required setting, valid: only the key under test can be wrong. */
const validEnv = (key: string | undefined) => ({ ...requiredServiceSettings(), [VARIABLE]: key });

const ecKey = (namedCurve: string) => generateKeyPairSync('ec', { namedCurve }).publicKey;
const problemsOf = (key: string): string[] => {
  try {
    parseEnv(serviceEnv, validEnv(key));
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
};

test("SendGrid's P-256 key is accepted as base64 DER or as PEM, and may be left unset", () => {
  const key = ecKey('prime256v1');
  const der = key.export({ format: 'der', type: 'spki' }).toString('base64');
  const pem = key.export({ format: 'pem', type: 'spki' }).toString();
  assert.equal(parseEnv(serviceEnv, validEnv(der))[VARIABLE], der);
  assert.equal(parseEnv(serviceEnv, validEnv(pem))[VARIABLE], pem);
  assert.equal(parseEnv(serviceEnv, validEnv(undefined))[VARIABLE], undefined);
});

test('a key that is not a P-256 public key is a config error naming the variable', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
  for (const bad of [
    'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE'.padEnd(60, 'A'), // truncated DER: "asn1 … too long"
    'x'.repeat(60),
    rsa.export({ format: 'der', type: 'spki' }).toString('base64'),
    ecKey('secp384r1').export({ format: 'der', type: 'spki' }).toString('base64'),
  ]) {
    const problems = problemsOf(bad);
    assert.equal(problems.length, 1, problems.join('; '));
    assert.match(problems[0] ?? '', new RegExp(`^${VARIABLE}: must be SendGrid's`));
  }
});

test('`npm run api` with a bad key exits 78 naming it, not 1 with an ASN.1 error', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/api/server.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...validEnv('A'.repeat(60)) },
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(result.status, 78, result.stderr);
  assert.match(result.stderr, new RegExp(`${VARIABLE}: must be`));
  assert.doesNotMatch(result.stderr, /asn1/i);
});
