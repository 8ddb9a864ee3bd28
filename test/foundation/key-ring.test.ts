import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecryptionError, generateKey, KeyRing } from '../../src/crypto/key-ring';

const ref = { table: 'oauth_service_tokens', column: 'access_token', row: 'tutor-1' };

test('encrypts to ciphertext that holds no plaintext and decrypts back', () => {
  const ring = new KeyRing(generateKey());
  const stored = ring.encrypt('secret-access-token', ref);
  assert.ok(!stored.includes('secret-access-token'));
  assert.equal(ring.decrypt(stored, ref), 'secret-access-token');
  assert.notEqual(ring.encrypt('secret-access-token', ref), stored, 'a fresh IV each time');
});

test('a value moved to another row or column fails to decrypt', () => {
  const ring = new KeyRing(generateKey());
  const stored = ring.encrypt('x', ref);
  assert.throws(() => ring.decrypt(stored, { ...ref, row: 'tutor-2' }), DecryptionError);
  assert.throws(() => ring.decrypt(stored, { ...ref, column: 'refresh_token' }), DecryptionError);
});

test('old keys still decrypt, a wrong key fails loudly, and stale values are detected', () => {
  const oldKey = generateKey();
  const stored = new KeyRing(oldKey).encrypt('x', ref);
  const rotated = new KeyRing(generateKey(), [oldKey]);
  assert.equal(rotated.decrypt(stored, ref), 'x');
  assert.equal(rotated.isStale(stored), true);
  assert.equal(rotated.isStale(rotated.encrypt('x', ref)), false);
  assert.throws(() => new KeyRing(generateKey()).decrypt(stored, ref), /TOKEN_ENCRYPTION_KEY/);
  assert.throws(() => new KeyRing(Buffer.from('short').toString('base64')), /32 bytes/);
});
