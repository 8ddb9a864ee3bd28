import { clusterDrill, DOWN_MS, gracefulRestart, killAndRestart, killForGood } from './lib/cluster-drill';
import type { Drill } from './lib/types';

/**
 * `npm run drills -- --cluster`: the production topology's drills. Each boots its own cluster and
 * runs a booking burst, then a token sweep, with the same fault in the middle of each.
 */
export const clusterDrills: Drill[] = [
  clusterDrill({
    name: 'cluster-history-kill',
    title: 'cluster: history SIGKILLed and restarted',
    disrupt: (c) => killAndRestart(c, 'history', DOWN_MS),
  }),
  clusterDrill({
    name: 'cluster-matching-restart',
    title: 'cluster: matching restarted',
    disrupt: (c) => gracefulRestart(c, 'matching'),
  }),
  clusterDrill({
    name: 'cluster-frontend-restart',
    title: 'cluster: frontend restarted',
    disrupt: (c) => gracefulRestart(c, 'frontend'),
  }),
  clusterDrill({
    name: 'cluster-worker-kill',
    title: 'cluster: one of two workers SIGKILLed',
    disrupt: (c) => killForGood(c, 'worker-1'),
    recover: (c) => c.restart('worker-1'),
  }),
  clusterDrill({
    name: 'cluster-api-kill',
    title: 'cluster: one of two APIs SIGKILLed, bookings retried on the other',
    disrupt: (c) => killForGood(c, 'api-1'),
    recover: (c) => c.restart('api-1'),
  }),
];
