import { baseline } from './baseline';
import { postgresRestart } from './postgres-restart';
import { providerFaultsBurst, providerFaultsSweep } from './provider-faults';
import { refreshRace } from './refresh-race';
import { temporalRestart } from './temporal-restart';
import { twoWorkersOneKilled } from './two-workers';
import { workerKillBurst, workerKillSweep } from './worker-kill';
import type { Drill } from './lib/types';

/** Every drill, in the order `npm run drills` runs them. */
export const allDrills: Drill[] = [
  baseline,
  providerFaultsBurst,
  providerFaultsSweep,
  workerKillBurst,
  workerKillSweep,
  twoWorkersOneKilled,
  temporalRestart,
  postgresRestart,
  refreshRace,
];
