import { loadServiceEnv } from '../config/service-env';
import { createContainer } from '../container';
import { createOpsCommands } from './commands';
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
  reencrypt          rewrite secrets encrypted with TOKEN_ENCRYPTION_OLD_KEYS`;

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
]);

async function main(args: string[]): Promise<void> {
  const [command, arg, eventId] = args;
  if (!command || command === 'help') return void console.log(usage);
  // A typo gets the usage at once, before settings are read or anything is connected.
  const redeliver = command === 'events' && arg !== undefined;
  if (
    !COMMANDS.has(command) ||
    (command === 'history' && !arg) ||
    (redeliver && (arg !== 'redeliver' || !eventId))
  ) {
    console.error(command === 'history' ? `history needs a user id\n\n${usage}` : usage);
    process.exitCode = 64;
    return;
  }
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
      case 'history':
        return await ops.history(arg as string);
      case 'revocations':
        return void (await ops.revocations());
      case 'events':
        if (redeliver && !(await ops.redeliverEvent(eventId as string))) process.exitCode = 1;
        else if (!redeliver) await ops.events();
        return;
      case 'reencrypt':
        return void (await ops.reencrypt());
    }
  } finally {
    await container.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
