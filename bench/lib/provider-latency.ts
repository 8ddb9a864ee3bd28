import type { TestStack } from '../../test/support/stack';

/** The latency every booking figure injects in the emulators: Daily's room create, SendGrid's send. */
export const PROVIDER_LATENCY_MS = 50;

export async function withProviderLatency<T>(stack: TestStack, work: () => Promise<T>): Promise<T> {
  stack.daily.faults.add({ route: 'POST /v1/rooms', latencyMs: PROVIDER_LATENCY_MS });
  stack.sendgrid.faults.add({ route: 'POST /v3/mail/send', latencyMs: PROVIDER_LATENCY_MS });
  try {
    return await work();
  } finally {
    stack.daily.faults.clear();
    stack.sendgrid.faults.clear();
  }
}
