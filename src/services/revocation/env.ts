import { z } from 'zod';
import { envField } from '../../config/parse-env';

/** The durable revocation of dropped Zoom grants (see revocation-processor.ts). */
export const revocationEnv = z.object({
  /** Its Temporal Schedule; stacks sharing one dev server (tests) each use their own. */
  REVOCATION_SCHEDULE_ID: z.string().min(1).default('revoke-dropped-grants'),
  /** How often the schedule looks for due revocations (a drop also wakes it at once). */
  REVOCATION_POLL_SECONDS: envField.positiveInt().default(60),
  /** The first retry's delay; each next one doubles, up to an hour. */
  REVOCATION_RETRY_SECONDS: envField.positiveInt().default(30),
});
export type RevocationEnv = z.infer<typeof revocationEnv>;
