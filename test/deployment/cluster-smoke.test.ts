import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { cachedClusterBinaries } from '../../scripts/lib/cluster/binaries';
import { startCluster, type RunningCluster } from '../../scripts/lib/cluster/start-cluster';
import { dropDatabases, MACHINE_POSTGRES_URL } from '../../scripts/lib/postgres';
import { booking, HOUR, waitFor } from '../lessons/lesson-helpers';
import { createTestDatabase } from '../support/database';
import { npmStartEnv } from '../support/npm-start-env';

// The production topology, short: Temporal's four services on PostgreSQL, one worker, two APIs and
// the emulators, then one booking, one reschedule and one cancel over the API. It never builds the
// server (minutes): it runs where `npm run cluster` has built it once, and is skipped elsewhere (CI).
const binaries = cachedClusterBinaries();
const skip = binaries
  ? false
  : 'the Temporal server is not built on this machine: run `npm run cluster` once (it builds it), then npm test';

/** The addresses something listens on at `port`, from Linux's socket tables (hex, as the kernel writes them). */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) =>
    existsSync(table)
      ? readFileSync(table, 'utf8')
          .split('\n')
          .map((line) => line.trim().split(/\s+/))
          .filter(([, local, , state]) => state === '0A' && local?.endsWith(`:${hexPort}`))
          .map(([, local]) => (local as string).split(':')[0] as string)
      : [],
  );
}

async function lessonEmails(cluster: RunningCluster, lessonId: string, event: string): Promise<number> {
  const outbox = `${cluster.urls.emulators.SendGrid}/_emulator/outbox?customArg=lesson_id=${lessonId}`;
  const { messages } = (await (await fetch(outbox)).json()) as {
    messages: Array<{ customArgs: Record<string, string> }>;
  };
  return messages.filter((m) => m.customArgs.event === event).length;
}

test(
  'the cluster boots, books, reschedules and cancels a lesson across two APIs, and stops',
  { skip, timeout: 240_000 },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cluster-smoke-'));
    chmodSync(dataDir, 0o755);
    const adminUrl = process.env.TEST_PG_ADMIN_URL ?? MACHINE_POSTGRES_URL;
    const name = `smoke_${randomBytes(4).toString('hex')}`;
    const database = await createTestDatabase(1);
    let cluster: RunningCluster | undefined;
    try {
      cluster = await startCluster({
        dataDir,
        env: npmStartEnv({}, dataDir, { DATABASE_URL: database.url }),
        temporalPostgresUrl: adminUrl,
        name,
        workers: 1,
        apis: 2,
        ui: false,
        binaries,
        log: () => undefined,
      });
      const [api1, api2] = cluster.urls.apis as [string, string];
      assert.match(
        cluster.lines.join('\n'),
        /^API: http:\/\/127\.0\.0\.1:\d+\nAPI 2: http:\/\/127\.0\.0\.1:\d+\nTemporal: 127\.0\.0\.1:\d+\n/,
      );
      if (existsSync('/proc/net/tcp')) {
        const ports = [...cluster.urls.apis, `http://${cluster.urls.temporal}`].map((url) =>
          Number(new URL(url).port),
        );
        for (const port of ports)
          assert.deepEqual(listeningAddresses(port), ['0100007F'], `port ${port} on 127.0.0.1 only`);
      }
      // The compose file's service settings are all set for the cluster's processes too.
      const compose = parse(readFileSync(resolve(__dirname, '../../docker-compose.yml'), 'utf8'), {
        merge: true,
      });
      for (const variable of Object.keys(compose.services.worker.environment as object))
        assert.ok(cluster.serviceEnv[variable], `the cluster sets ${variable}`);

      const headers = {
        authorization: `Bearer ${cluster.serviceEnv.BOOKING_API_TOKEN}`,
        'content-type': 'application/json',
      };
      const post = (api: string, path: string, body: unknown) =>
        fetch(`${api}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      const meeting = async (api: string, id: string) =>
        (await (await fetch(`${api}/lessons/${id}/meeting`, { headers })).json()) as {
          status: string;
          meetingId: string | null;
          startsAt: string;
        };

      const lesson = booking();
      assert.equal((await post(api1, '/lessons', lesson)).status, 202);
      await waitFor(
        'the meeting, seen through the other API',
        async () => (await meeting(api2, lesson.id)).meetingId,
        60_000,
      );

      const startsAt = new Date(Date.parse(lesson.startsAt) + HOUR).toISOString();
      const endsAt = new Date(Date.parse(lesson.endsAt) + HOUR).toISOString();
      assert.ok(
        [200, 202].includes(
          (await post(api2, `/lessons/${lesson.id}/reschedule`, { startsAt, endsAt })).status,
        ),
      );
      await waitFor(
        'both rescheduled emails',
        async () => (await lessonEmails(cluster!, lesson.id, 'rescheduled')) === 2,
        60_000,
      );
      assert.equal((await meeting(api1, lesson.id)).startsAt, startsAt);

      assert.ok([200, 202].includes((await post(api1, `/lessons/${lesson.id}/cancel`, {})).status));
      await waitFor(
        'both cancelled emails',
        async () => (await lessonEmails(cluster!, lesson.id, 'cancelled')) === 2,
        60_000,
      );
      assert.equal((await meeting(api2, lesson.id)).status, 'cancelled');
      assert.equal(await lessonEmails(cluster, lesson.id, 'booked'), 2, 'each email once');

      await cluster.stop();
      for (const [processName, { child }] of Object.entries(cluster.processes))
        assert.ok(
          child && (child.exitCode !== null || child.signalCode !== null),
          `${processName} has stopped`,
        );
    } finally {
      await cluster?.stop();
      await database.close();
      await dropDatabases(adminUrl, [`temporal_${name}`, `temporal_visibility_${name}`]);
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
