import { isIP } from 'node:net';

/**
 * The client's address: the socket's, or with `trustedHops` proxies in front, the X-Forwarded-For
 * entry that many from the right (each proxy appends the address it was called from, so entries
 * further left are whatever the client sent). A header too short or with anything but addresses
 * in that part falls back to the socket's address.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  trustedHops: number,
): string {
  const socket = socketAddress ?? 'unknown';
  if (trustedHops === 0 || !forwardedFor) return socket;
  const entries = forwardedFor.split(',').map((entry) => entry.trim());
  const trusted = entries.slice(-trustedHops);
  if (trusted.length < trustedHops || !trusted.every((entry) => isIP(entry))) return socket;
  return trusted[0] as string;
}

const IPV4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** The eight groups of an IPv6 address, `::` expanded. */
function ipv6Groups(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...(tail === undefined ? [] : zeros), ...right];
}

/**
 * What one client is counted under: an IPv4 address, or the /64 network of an IPv6 one (a single
 * subscriber is usually given a whole /64, so counting each address would let it pick a new one
 * for every request).
 */
export function clientKey(address: string): string {
  const mapped = IPV4_MAPPED.exec(address)?.[1];
  if (mapped) return mapped;
  if (isIP(address) !== 6) return address;
  const network = ipv6Groups(address.split('%')[0] ?? address).slice(0, 4);
  return `${network.map((group) => group.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
