import { Connection } from '@temporalio/client';
import { waitForPort } from '../../../src/net/free-port';
import type { ClusterBinaries } from './binaries';
import { managedProcess, type ManagedProcess } from './managed-process';
import {
  bareEnv,
  TEMPORAL_SERVICES,
  temporalServerEnv,
  type ServerDatabase,
  type ServerPorts,
  type TemporalService,
} from './server-env';

/**
 * The Temporal server's four services as four processes, each `server start --service=<name>` on
 * the server's own config template (rendered by the server from the environment, as in the
 * temporalio/server image), all on loopback and joined in one membership ring through the
 * cluster's database.
 */
export async function waitForFrontend(address: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`the frontend did not answer on ${address}: ${String(error)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export function temporalServiceProcesses(
  binaries: ClusterBinaries,
  db: ServerDatabase,
  ports: ServerPorts,
  logDir: string,
): Record<TemporalService, ManagedProcess> {
  const make = (service: TemporalService): ManagedProcess =>
    managedProcess({
      name: service,
      command: binaries.server,
      // The config folder holds only the server's docker.yaml template: `--env docker` renders it.
      args: [
        '--root',
        binaries.serverDir,
        '--config',
        'config',
        '--env',
        'docker',
        'start',
        `--service=${service}`,
      ],
      env: bareEnv(temporalServerEnv(service, db, ports)),
      logFile: `${logDir}/temporal-${service}.log`,
      // Temporal's worker service serves no gRPC: it is up once it listens for its ring.
      ready: () =>
        service === 'frontend'
          ? waitForFrontend(`127.0.0.1:${ports.grpc.frontend}`)
          : waitForPort(
              service === 'worker' ? ports.membership.worker : ports.grpc[service],
              '127.0.0.1',
              120_000,
            ),
    });
  return Object.fromEntries(TEMPORAL_SERVICES.map((s) => [s, make(s)])) as Record<
    TemporalService,
    ManagedProcess
  >;
}
