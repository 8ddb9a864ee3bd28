import { loadServiceEnv } from '../config/service-env';
import { createContainer } from '../container';
import {
  describeScheduleState,
  ensureValidationSchedule,
  scheduleOptions,
  validationScheduleState,
} from './validation-schedule';

/** `npm run schedule:ensure`: creates or updates the 08:30 UTC schedule, keeping an operator's pause. */
async function main(): Promise<void> {
  const env = loadServiceEnv();
  const container = await createContainer(env);
  try {
    const options = scheduleOptions(env);
    const outcome = await ensureValidationSchedule(container.temporal.client, options);
    const state = await validationScheduleState(container.temporal.client, options.scheduleId);
    console.log(`Schedule ${outcome} (${describeScheduleState(state)}).`);
  } finally {
    await container.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
