import autocannon from 'autocannon';
import { signWebhook } from '../../src/providers/zoom/webhook-signature';

/**
 * The load generator, in a process of its own so that it does not share a CPU thread with the API
 * it measures: `tsx bench/lib/webhook-load.ts <url> <secret> <seconds>`. Every request is signed
 * afresh, as Zoom's deliveries are; prints autocannon's result as JSON.
 */
async function main(): Promise<void> {
  const [url, secret, seconds] = process.argv.slice(2);
  if (!url || !secret || !seconds) throw new Error('usage: webhook-load <url> <secret> <seconds>');
  let n = 0;
  const result = await autocannon({
    url,
    connections: 50,
    duration: Number(seconds),
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          // meeting.started has no side effects in the service: only verification is measured.
          const body = JSON.stringify({
            event: 'meeting.started',
            event_ts: Date.now(),
            payload: { n: n++ },
          });
          const timestamp = String(Math.floor(Date.now() / 1000));
          return {
            ...request,
            body,
            headers: {
              'content-type': 'application/json',
              'x-zm-request-timestamp': timestamp,
              'x-zm-signature': signWebhook(secret, timestamp, body),
            },
          };
        },
      },
    ],
  });
  process.stdout.write(
    JSON.stringify({ average: result.requests.average, non2xx: result.non2xx, errors: result.errors }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
