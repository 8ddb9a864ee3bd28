import { DOWN_MS, serverRestartDrill } from './lib/server-restart';

/** Drill 4: restart the Temporal dev server (persistent db file, same port) in the middle of a burst. */
export const temporalRestart = serverRestartDrill({
  name: 'temporal-restart',
  title: 'restart Temporal mid-burst',
  need: 'restart-temporal',
  restart: async (infra) => {
    await infra.restartTemporal(DOWN_MS);
    return `Temporal stopped, down ${DOWN_MS / 1000} s, started on the same port and db file`;
  },
});
