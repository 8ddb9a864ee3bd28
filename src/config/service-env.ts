import { z } from 'zod';
import { databaseEnv } from '../db/env';
import { temporalEnv } from '../temporal/env';
import { workerTuningEnv } from '../worker/env';
import { appEnv } from './app-env';
import { exitOnConfigError, parseEnv } from './parse-env';

/**
 * Everything the worker and the API read, validated at start. Each provider adds its own
 * variables from its folder (src/providers/<name>/env.ts).
 */
export const serviceEnv = z.object({
  ...databaseEnv.shape,
  ...temporalEnv.shape,
  ...appEnv.shape,
  ...workerTuningEnv.shape,
});
export type ServiceEnv = z.infer<typeof serviceEnv>;

/** For process entry points: a bad setting prints one message naming every variable and exits 78. */
export function loadServiceEnv(env: NodeJS.ProcessEnv = process.env): ServiceEnv {
  try {
    return parseEnv(serviceEnv, env);
  } catch (error) {
    return exitOnConfigError(error);
  }
}
