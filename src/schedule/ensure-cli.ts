import { loadServiceEnv } from '../config/service-env';
import { createContainer } from '../container';
import { ensureValidationSchedule, scheduleOptions } from './validation-schedule';

/** `npm run schedule:ensure`: creates or updates the 08:30 UTC schedule, keeping an operator's pause. */
async function main(): Promise<void> {
  const env = loadServiceEnv();
  const container = await createContainer(env);
  try {
    const outcome = await ensureValidationSchedule(container.temporal.client, scheduleOptions(env));
    console.log(
      `Schedule ${outcome} (${env.APP_ENV === 'production' ? 'active' : 'paused outside production'}).`,
    );
  } finally {
    await container.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
