import { exitOnConfigError, parseEnv } from '../config/parse-env';
import { registerNamespace } from '../temporal/register-namespace';
import { databaseEnv } from './env';
import { ensureDatabase } from './ensure-database';
import { createDb, migrateLatest } from './knex';

/**
 * The deployment's one-shot: migrations, then (when TEMPORAL_ADDRESS is set) the namespace and our
 * search attributes from the one list in code, through the operator service. Safe to re-run.
 */
async function main(): Promise<void> {
  const env = parseEnv(databaseEnv);
  await ensureDatabase(env.DATABASE_URL);
  const db = createDb(env.DATABASE_URL, 2);
  try {
    const applied = await migrateLatest(db);
    console.log(applied.length ? `Migrated: ${applied.join(', ')}` : 'Database up to date.');
  } finally {
    await db.destroy();
  }
  if (process.env.TEMPORAL_ADDRESS) {
    const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
    await registerNamespace(process.env.TEMPORAL_ADDRESS, namespace);
    console.log(`Temporal namespace ${namespace} has our search attributes.`);
  }
}

main().catch((error: unknown) => {
  exitOnConfigError(error);
});
