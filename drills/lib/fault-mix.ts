import type { FaultInjector, FaultRule } from '../../emulators/kit/faults';
import type { TestStack } from '../../test/support/stack';

/**
 * A bad day at every provider: 5xx, 429 with Retry-After in seconds and as an ISO date a few
 * seconds ahead, hangs (the client times out) and connection resets, each before and after the
 * provider applied the call. Each kind takes an equal share of the calls.
 */
const KINDS: FaultRule[] = [
  { id: 'drill-500', status: 500 },
  { id: 'drill-503', status: 503 },
  { id: 'drill-429-seconds', status: 429, retryAfter: { seconds: 2 } },
  { id: 'drill-429-date', status: 429, retryAfter: { isoDateInSeconds: 3 } },
  { id: 'drill-hang-before', hang: 'before' },
  { id: 'drill-hang-after', hang: 'after' },
  { id: 'drill-reset-before', reset: 'before' },
  { id: 'drill-reset-after', reset: 'after' },
];

/** The kinds after which the provider did the work but the caller never heard. */
export const LOST_ANSWER_FAULTS: ReadonlySet<string> = new Set(['drill-hang-after', 'drill-reset-after']);

/**
 * Adds the kinds so that `share` of all calls fail, `share / kinds` each. Rules are tried in
 * order and each draws its own chance, so rule i's fraction is its share of the calls that the
 * rules before it let through.
 */
export function injectFaultMix(faults: FaultInjector, share: number): void {
  const each = share / KINDS.length;
  KINDS.forEach((kind, i) => faults.add({ ...kind, fraction: each / (1 - i * each) }));
}

export function injectFaultsEverywhere(stack: TestStack, share: number): void {
  for (const emulator of [stack.zoom, stack.daily, stack.sendgrid]) injectFaultMix(emulator.faults, share);
}

export function clearFaults(stack: TestStack): void {
  for (const emulator of [stack.zoom, stack.daily, stack.sendgrid]) emulator.faults.clear();
}

/** How many calls each emulator logged (its last 1,000 at most), and how many an injected fault hit. */
export function faultTally(stack: TestStack): string {
  const parts = (
    [
      ['Zoom', stack.zoom],
      ['Daily', stack.daily],
      ['SendGrid', stack.sendgrid],
    ] as const
  ).map(([name, emulator]) => {
    const logged = emulator.requests.all();
    const hit = logged.filter((r) => r.fault?.startsWith('drill-')).length;
    return `${name} ${hit}/${logged.length}`;
  });
  return `faults hit ${parts.join(', ')} of the last calls logged (up to 1,000 each)`;
}
