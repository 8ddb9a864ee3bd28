import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenSigner } from '../../emulators/zoom/signed-token';

test('verified tokens are remembered only under the secret that signed them', () => {
  let secret = 'first-secret';
  const signer = new TokenSigner(() => secret);
  const token = signer.sign({ typ: 'access', tid: 't1' });
  assert.deepEqual(signer.verify(token), { typ: 'access', tid: 't1' });
  assert.deepEqual(signer.verify(token), { typ: 'access', tid: 't1' }, 'a second read, from the cache');
  assert.equal(signer.verify(`${token.slice(0, -2)}xx`), undefined, 'a forged signature still fails');
  secret = 'restored-secret';
  assert.equal(signer.verify(token), undefined, 'a new secret forgets what the old one signed');
});
