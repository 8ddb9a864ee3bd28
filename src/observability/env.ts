import { z } from 'zod';
import { envField } from '../config/parse-env';

export const observabilityEnv = z.object({
  /** Serves Prometheus metrics at /metrics on this port (worker and api); unset: no metrics server. */
  METRICS_PORT: envField.port().optional(),
});
