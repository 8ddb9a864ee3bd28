import { burstDrill } from './lib/burst-drill';

/** Drill 0: the same burst with nothing going wrong, so that the other rows' durations mean something. */
export const baseline = burstDrill({ name: 'baseline', title: 'baseline burst, no fault' });
