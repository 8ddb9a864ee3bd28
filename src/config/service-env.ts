import { z } from 'zod';
import { databaseEnv } from '../db/env';
import { dailyEnv } from '../providers/daily/env';
import { sendgridEnv } from '../providers/sendgrid/env';
import { zoomEnv } from '../providers/zoom/env';
import { temporalEnv } from '../temporal/env';
import { observabilityEnv } from '../observability/env';
import { workerTuningEnv } from '../worker/env';
import { appEnv } from './app-env';
import { exitOnConfigError, parseEnv } from './parse-env';

/**
 * Everything the worker and the API read, validated at start. Each module owns its variables
 * (src/providers/<name>/env.ts, src/db/env.ts, …); this composes them.
 */
export const serviceEnv = z.object({
  ...databaseEnv.shape,
  ...temporalEnv.shape,
  ...appEnv.shape,
  ...observabilityEnv.shape,
  ...workerTuningEnv.shape,
  ...zoomEnv.shape,
  ...dailyEnv.shape,
  ...sendgridEnv.shape,
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
