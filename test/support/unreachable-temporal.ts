import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { startApi, type RunningApi } from '../../src/api/server';
import { createContainer, type Container } from '../../src/container';
import { createLogger } from '../../src/logger';
import { freePort } from '../../src/net/free-port';
import type { TestStack } from './stack';

/**
 * A second API of the same stack (its database, settings and clock) whose Temporal address is
 * a free port, where nothing listens: what the API meets when Temporal goes down after it started.
 * The SDK's retries are cut to one attempt, so each call fails at once; with `sdkRetries` they are
 * the SDK's own (~20 s), as in production, where the lesson commands' deadline must end the wait.
 */
export interface UnreachableTemporalApi {
  api: RunningApi;
  container: Container;
  close(): Promise<void>;
}

export async function startApiWithoutTemporal(
  stack: TestStack,
  { sdkRetries = false } = {},
): Promise<UnreachableTemporalApi> {
  const connection = Connection.lazy({
    address: `127.0.0.1:${await freePort()}`,
    ...(sdkRetries
      ? {}
      : { interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 1 }))] }),
  });
  const container = await createContainer(stack.env, {
    logger: createLogger({ level: 'silent' }),
    clock: stack.clock,
    temporalConnection: connection,
  });
  const api = await startApi(container, 0, '127.0.0.1');
  return {
    api,
    container,
    close: async () => {
      await api.close();
      await container.close();
      await connection.close();
    },
  };
}
