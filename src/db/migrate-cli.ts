import { exitOnConfigError, parseEnv } from '../config/parse-env';
import { databaseEnv } from './env';
import { createDb, migrateLatest, migrateRollbackAll } from './knex';

/** `npm run migrate` / `npm run migrate:rollback`: needs only DATABASE_URL. */
async function main(command: string | undefined): Promise<void> {
  const env = parseEnv(databaseEnv);
  const db = createDb(env.DATABASE_URL, 2);
  try {
    if (command === 'rollback') {
      const undone = await migrateRollbackAll(db);
      console.log(undone.length ? `Rolled back: ${undone.join(', ')}` : 'Nothing to roll back.');
    } else {
      const applied = await migrateLatest(db);
      console.log(applied.length ? `Migrated: ${applied.join(', ')}` : 'Already up to date.');
    }
  } finally {
    await db.destroy();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  exitOnConfigError(error);
});
