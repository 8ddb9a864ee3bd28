import { DOWN_MS, serverRestartDrill } from './lib/server-restart';

/** Drill 5: restart PostgreSQL (the drills' own embedded instance, never a shared one) mid-burst. */
export const postgresRestart = serverRestartDrill({
  name: 'postgres-restart',
  title: 'restart PostgreSQL mid-burst',
  need: 'restart-postgres',
  restart: async (infra) => {
    await infra.restartPostgres(DOWN_MS);
    return `PostgreSQL stopped (fast shutdown), down ${DOWN_MS / 1000} s, started on the same port and data`;
  },
});
