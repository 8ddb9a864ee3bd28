import { burstDrill } from './lib/burst-drill';

/** Drill 3: two workers share the task queue, and one of them is killed (-9) mid-burst for good. */
export const twoWorkersOneKilled = burstDrill({
  name: 'two-workers',
  title: 'two workers, one killed mid-burst',
  workers: 2,
  disrupt: async (ds) => {
    const [victim] = ds.workers;
    if (!victim) throw new Error('no worker to kill');
    const pid = victim.pid();
    await victim.kill9();
    return `kill -9 of ${victim.name} (pid ${pid}), not restarted`;
  },
});
