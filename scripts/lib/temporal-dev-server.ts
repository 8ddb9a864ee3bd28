import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { searchAttributeCliFlags } from '../../src/temporal/search-attributes';
import { freePort } from '../../src/net/free-port';

export interface DevServerOptions {
  cliPath: string;
  port?: number; // 0 or undefined: a free port
  uiPort?: number;
  ui?: boolean;
  dbFilename?: string; // persistent store; in memory when unset
  namespace?: string;
  /** The codec server the UI decodes payloads with (`${API}/codec`). */
  uiCodecEndpoint?: string;
}

export interface RunningDevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` with our search attributes and waits until it answers gRPC. */
export async function startTemporalDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const port = options.port || (await freePort());
  const uiPort = options.uiPort || (await freePort());
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
  args.push('--namespace', options.namespace ?? 'default', ...searchAttributeCliFlags());
  if (options.ui === false) args.push('--headless');
  else args.push('--ui-port', String(uiPort));
  if (options.ui !== false && options.uiCodecEndpoint)
    args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);

  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const address = `127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the Temporal dev server exited: ${stderr.trim()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(
          `the Temporal dev server did not answer on ${address}: ${(error as Error).message} ${stderr}`,
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    address,
    uiUrl: options.ui === false ? undefined : `http://127.0.0.1:${uiPort}`,
    process: child,
    stop,
  };
}
