import autocannon from 'autocannon';
import { signWebhook } from '../../src/providers/zoom/webhook-signature';

/**
 * The load generator, in a process of its own so that it does not share a CPU thread with the API
 * it measures: `tsx bench/lib/webhook-load.ts <url> <secret> <seconds> [pool|each]`. Prints
 * autocannon's result as JSON.
 *
 * `pool` (the default): POOL_SIZE distinct deliveries, each signed with a timestamp taken when the
 * run starts, sent in turn. Every request carries a valid signature for its own body and a timestamp
 * seconds old, well inside the 5-minute window; the API verifies each one in full. A delivery comes
 * again after POOL_SIZE others, as a Zoom retry would, which the route accepts (it keeps no replay
 * list, only the timestamp window). On 2 cores, signing each request in autocannon's
 * `setupRequest` (which also rebuilds the request) took about 40% more of the load generator's CPU,
 * CPU that the API it measures then lacked. `each` signs every request afresh, for comparison.
 */
const POOL_SIZE = 1000;

// meeting.started has no side effects in the service: only verification is measured.
function delivery(secret: string, n: number): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ event: 'meeting.started', event_ts: Date.now(), payload: { n } });
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-zm-request-timestamp': timestamp,
      'x-zm-signature': signWebhook(secret, timestamp, body),
    },
  };
}

function requests(secret: string, mode: string): autocannon.Request[] {
  if (mode === 'pool')
    return Array.from({ length: POOL_SIZE }, (_, n) => ({ method: 'POST', ...delivery(secret, n) }));
  if (mode !== 'each') throw new Error(`unknown mode ${mode}: pool or each`);
  let n = 0;
  return [{ method: 'POST', setupRequest: (request) => ({ ...request, ...delivery(secret, n++) }) }];
}

async function main(): Promise<void> {
  const [url, secret, seconds, mode = 'pool'] = process.argv.slice(2);
  if (!url || !secret || !seconds)
    throw new Error('usage: webhook-load <url> <secret> <seconds> [pool|each]');
  const result = await autocannon({
    url,
    connections: 50,
    duration: Number(seconds),
    requests: requests(secret, mode),
  });
  process.stdout.write(
    JSON.stringify({ average: result.requests.average, non2xx: result.non2xx, errors: result.errors }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
