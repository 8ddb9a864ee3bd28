import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientAddress, clientKey } from '../../src/api/rate-limit/client-address';

const SOCKET = '10.0.0.9';

test('with TRUSTED_PROXY_HOPS=0 X-Forwarded-For is ignored: the client is the socket address', () => {
  assert.equal(clientAddress(SOCKET, '203.0.113.7', 0), SOCKET);
  assert.equal(clientAddress(SOCKET, undefined, 0), SOCKET);
});

test('with hops, the client is the entry that many from the right; entries further left are the client’s own claims', () => {
  const header = '198.51.100.1, 203.0.113.7, 192.0.2.44';
  assert.equal(clientAddress(SOCKET, header, 1), '192.0.2.44');
  assert.equal(clientAddress(SOCKET, header, 2), '203.0.113.7');
  assert.equal(clientAddress(SOCKET, '2001:db8::1', 1), '2001:db8::1');
});

test('a missing, short or malformed header falls back to the socket address', () => {
  for (const header of [undefined, '', 'not-an-ip', '203.0.113.7, ', '1.2.3.4:80', '203.0.113.7,,']) {
    assert.equal(clientAddress(SOCKET, header, 1), SOCKET, String(header));
  }
  assert.equal(clientAddress(SOCKET, '203.0.113.7', 2), SOCKET, 'fewer entries than trusted hops');
  assert.equal(clientAddress(SOCKET, 'junk, 203.0.113.7', 2), SOCKET, 'junk inside the trusted part');
  assert.equal(clientAddress(SOCKET, 'junk, 203.0.113.7', 1), '203.0.113.7', 'junk left of it is ignored');
  assert.equal(clientAddress(undefined, undefined, 0), 'unknown');
});

test('clients are counted by IPv4 address, and by /64 network for IPv6', () => {
  assert.equal(clientKey('203.0.113.7'), '203.0.113.7');
  assert.equal(clientKey('::ffff:203.0.113.7'), '203.0.113.7');
  assert.equal(clientKey('2001:db8:0:1::1'), '2001:db8:0:1::/64');
  assert.equal(clientKey('2001:0DB8:0000:0001:ffff:1:2:3'), '2001:db8:0:1::/64');
  assert.equal(clientKey('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(clientKey('::1'), '0:0:0:0::/64');
  assert.notEqual(clientKey('2001:db8:0:1::1'), clientKey('2001:db8:0:2::1'));
});
