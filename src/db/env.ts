import { z } from 'zod';
import { envField } from '../config/parse-env';

export const databaseEnv = z.object({
  DATABASE_URL: envField.url(),
  DATABASE_POOL_MAX: envField.positiveInt().default(10),
});
export type DatabaseEnv = z.infer<typeof databaseEnv>;
