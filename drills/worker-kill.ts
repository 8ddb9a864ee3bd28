import { burstDrill } from './lib/burst-drill';
import type { DrillStack } from './lib/drill-stack';
import { sweepDrill } from './lib/sweep-drill';

/** Drill 2: kill -9 the only worker in the middle of a booking burst, and of a token sweep; restart it. */
async function killAndRestart(ds: DrillStack): Promise<string> {
  const [worker] = ds.workers;
  if (!worker) throw new Error('no worker to kill');
  const pid = worker.pid();
  await worker.kill9();
  await worker.restart();
  return `kill -9 of pid ${pid}, restarted as pid ${worker.pid()}`;
}

export const workerKillBurst = burstDrill({
  name: 'kill-burst',
  title: 'kill -9 the worker mid-burst',
  disrupt: killAndRestart,
});

export const workerKillSweep = sweepDrill({
  name: 'kill-sweep',
  title: 'kill -9 the worker mid-sweep',
  disrupt: killAndRestart,
});
