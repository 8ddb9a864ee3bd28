import { burstDrill } from './lib/burst-drill';
import { clearFaults, faultTally, injectFaultsEverywhere, LOST_ANSWER_FAULTS } from './lib/fault-mix';
import { sweepDrill } from './lib/sweep-drill';
import type { DrillStack } from './lib/drill-stack';

/**
 * Drill 1: a fifth of all calls to Zoom, Daily and SendGrid fail (5xx, 429 with Retry-After in
 * seconds and as an ISO date, hangs and resets before and after the call is applied), during a
 * booking burst and during a token sweep.
 */
const FAULT_SHARE = 0.2;

const faulty = {
  prepare: (ds: DrillStack) => injectFaultsEverywhere(ds.stack, FAULT_SHARE),
  lostAnswerFaults: LOST_ANSWER_FAULTS,
  describe: (ds: DrillStack) => {
    const tally = faultTally(ds.stack);
    clearFaults(ds.stack);
    return tally;
  },
};

export const providerFaultsBurst = burstDrill({
  name: 'faults-burst',
  title: '20% provider faults, booking burst',
  ...faulty,
});

export const providerFaultsSweep = sweepDrill({
  name: 'faults-sweep',
  title: '20% provider faults, token sweep',
  ...faulty,
});
