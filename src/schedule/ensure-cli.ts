import { loadServiceEnv } from '../config/service-env';
import { createContainer } from '../container';
import { createOpsCommands } from '../ops/commands';

/** `npm run schedule:ensure`: `npm run ops -- schedule`, under the name the deployment docs use. */
async function main(): Promise<void> {
  const container = await createContainer(loadServiceEnv());
  try {
    await createOpsCommands(container).ensureSchedule();
  } finally {
    await container.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
