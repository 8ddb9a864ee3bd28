import { loadServiceEnv, serviceEnvWithoutPayloadKey } from '../config/service-env';
import { createContainer, createContainerWithoutTemporal } from '../container';
import { createOpsCommands } from './commands';
import { createDatabaseOpsCommands, DATABASE_ONLY_COMMANDS } from './database-commands';
import { startSweepProgressBar } from './sweep-progress-bar';

const usage = `Usage: npm run ops -- <command>
  sweep              trigger a token sweep now and follow it
  pause | unpause    pause or unpause the 08:30 UTC schedule
  schedule           create or update the schedule (keeps an operator's pause)
  failed             list today's failed and deleted reconnections
  history <userId>   one tutor's Zoom connection history
  revocations        dropped Zoom grants still waiting for their revoke at Zoom
  events             platform events not delivered (retrying, or given up)
  events redeliver <eventId>   deliver one event again (the same webhook-id)
  reencrypt          rewrite secrets encrypted with TOKEN_ENCRYPTION_OLD_KEYS
  forget-person <userId> [--cancel-open]
                     erase a person's name and email (refused while a lesson of theirs is open,
                     unless --cancel-open cancels those lessons first)`;

const COMMANDS = new Set([
  'sweep',
  'pause',
  'unpause',
  'schedule',
  'failed',
  'history',
  'revocations',
  'events',
  'reencrypt',
  'forget-person',
]);

/** Commands that need an argument: a missing one gets the usage before anything is connected. */
const NEEDS_ARGUMENT: Record<string, string> = {
  history: 'history needs a user id',
  'forget-person': 'forget-person needs a user id',
};

async function main(args: string[]): Promise<void> {
  const [command, arg, ...flags] = args;
  if (!command || command === 'help') return void console.log(usage);
  // A typo gets the usage at once, before settings are read or anything is connected.
  const missing = command && NEEDS_ARGUMENT[command];
  const badFlags =
    (command === 'forget-person' && flags.some((f) => f !== '--cancel-open')) ||
    (command === 'events' && arg !== undefined && (arg !== 'redeliver' || flags.length !== 1));
  if (!COMMANDS.has(command) || (missing && (!arg || arg.startsWith('--'))) || badFlags) {
    console.error(missing && !badFlags ? `${missing}\n\n${usage}` : usage);
    process.exitCode = 64;
    return;
  }
  // Those that only touch the database connect nothing else, and need no payload key.
  if (DATABASE_ONLY_COMMANDS.has(command) && !(command === 'events' && arg === 'redeliver'))
    return runDatabaseCommand(command, arg);
  const container = await createContainer(loadServiceEnv());
  const ops = createOpsCommands(container);
  try {
    switch (command) {
      case 'sweep': {
        const bar = startSweepProgressBar();
        const summary = await ops.sweep((done, total) => bar.update(done, total));
        bar.stop();
        console.log(JSON.stringify(summary, null, 2));
        break;
      }
      case 'pause':
        return await ops.pause(arg);
      case 'unpause':
        return await ops.unpause(arg);
      case 'schedule':
        return await ops.ensureSchedule();
      case 'failed':
        return void (await ops.failed());
      case 'events': // redeliver: it wakes the delivery schedule
        if (!(await ops.redeliverEvent(flags[0] as string))) process.exitCode = 1;
        return;
      case 'forget-person': {
        const result = await ops.forgetPerson(arg as string, { cancelOpen: flags.includes('--cancel-open') });
        // Refused or unknown: a script must not take it for done.
        if (result.outcome !== 'erased') process.exitCode = 1;
        return;
      }
    }
  } finally {
    await container.close();
  }
}

async function runDatabaseCommand(command: string, arg: string | undefined): Promise<void> {
  const container = createContainerWithoutTemporal(loadServiceEnv(process.env, serviceEnvWithoutPayloadKey));
  const ops = createDatabaseOpsCommands(container);
  try {
    if (command === 'history') await ops.history(arg as string);
    else if (command === 'revocations') await ops.revocations();
    else if (command === 'events') await ops.events();
    else await ops.reencrypt();
  } finally {
    await container.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
