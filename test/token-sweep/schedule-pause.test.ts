import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createOpsCommands } from '../../src/ops/commands';
import { planScheduleChange } from '../../src/schedule/reconcile-schedule';
import {
  ensureTokenSweepSchedule,
  PAUSED_NOTE,
  scheduleOptions,
  UNPAUSED_NOTE,
  type ScheduleOptions,
} from '../../src/schedule/token-sweep-schedule';
import { ensureScheduleAtStart } from '../../src/schedule/ensure-at-start';
import { startWorker } from '../../src/worker';
import { useTestStack } from '../support/use-test-stack';
import { uniqueName, workflowBundle } from '../support/temporal';

const stack = useTestStack({ worker: false });

const describe = async (scheduleId: string) =>
  stack.temporal.client.schedule.getHandle(scheduleId).describe();
const pausedState = async (scheduleId: string) => {
  const { state } = await describe(scheduleId);
  return [state.paused, state.note];
};

/** A schedule of its own, created by a non-production start: paused with the service's note. */
async function createdOutsideProduction(): Promise<ScheduleOptions> {
  const options = { ...scheduleOptions(stack.env), scheduleId: uniqueName('schedule'), production: false };
  assert.equal(await ensureTokenSweepSchedule(stack.temporal.client, options), 'created');
  assert.deepEqual(await pausedState(options.scheduleId as string), [true, PAUSED_NOTE]);
  return options;
}

test('only the service pause is lifted, only in production, and only a changed configuration is written', () => {
  const notes = { paused: 'service pause', unpaused: 'service unpause' };
  const desired = { digest: 'a', production: true };
  const plan = (paused: boolean, note: string | undefined, digest = 'a', production = true) =>
    planScheduleChange({ digest, paused, note }, { ...desired, production }, notes);
  assert.equal(plan(true, 'service pause', 'a', false), undefined, 'outside production the pause stays');
  assert.deepEqual(plan(true, 'service pause'), { writeConfig: false, unpause: true });
  assert.equal(plan(true, 'maintenance'), undefined, "an operator's pause stands");
  assert.equal(plan(true, undefined), undefined, 'a pause with no note is not the service pause');
  assert.equal(plan(false, 'service pause'), undefined);
  assert.deepEqual(plan(true, 'maintenance', 'b'), { writeConfig: true, unpause: false });
  assert.deepEqual(plan(true, 'service pause', 'b'), { writeConfig: true, unpause: true });
});

test("a production worker's start lifts the pause of a non-production start, and never an operator's", async () => {
  const scheduleId = stack.env.VALIDATION_SCHEDULE_ID;
  const client = stack.temporal.client;
  assert.equal(await ensureTokenSweepSchedule(client, scheduleOptions(stack.env)), 'created');
  assert.deepEqual(await pausedState(scheduleId), [true, PAUSED_NOTE]);
  const inProduction = { ...stack.container, env: { ...stack.env, APP_ENV: 'production' as const } };
  const startProductionWorker = async () =>
    (await startWorker(inProduction, { workflowBundle: await workflowBundle() })).shutdown();

  await startProductionWorker();
  assert.deepEqual(await pausedState(scheduleId), [false, UNPAUSED_NOTE]);
  assert.equal((await describe(scheduleId)).info.nextActionTimes[0]?.toISOString().slice(11, 16), '08:30');

  // An operator pauses it (`npm run ops -- pause`): the next production start leaves it paused and says so.
  await createOpsCommands(stack.container, () => undefined).pause('Zoom migration');
  const warnings = () => stack.logs.filter((l) => /"level":40/.test(l) && /paused by an operator/.test(l));
  assert.equal(warnings().length, 0);
  await startProductionWorker();
  assert.deepEqual(await pausedState(scheduleId), [true, 'Zoom migration']);
  assert.equal(warnings().length, 1);
});

test("an operator's pause stands when a production start also writes a new configuration", async () => {
  const options = await createdOutsideProduction();
  const id = options.scheduleId as string;
  await stack.temporal.client.schedule.getHandle(id).pause('maintenance');
  const production = { ...options, production: true };
  assert.equal(await ensureScheduleAtStart(stack.container, production), 'unchanged');
  const changed = { ...production, settings: { ...options.settings, maxAttempts: 7 } };
  assert.equal(await ensureScheduleAtStart(stack.container, changed), 'updated');
  const updated = await describe(id);
  assert.deepEqual([updated.state.paused, updated.state.note], [true, 'maintenance']);
  assert.deepEqual(updated.action.type === 'startWorkflow' && updated.action.args, [
    { settings: changed.settings },
  ]);
  assert.equal(await ensureScheduleAtStart(stack.container, changed), 'unchanged', 'nothing left to write');
  const again = await describe(id);
  assert.deepEqual(
    again.info.lastUpdatedAt,
    updated.info.lastUpdatedAt,
    'an unchanged configuration writes nothing',
  );
  assert.deepEqual(again.raw.conflictToken, updated.raw.conflictToken);
});

/** An operator's pause lands between the worker's read and its write, on the first write only. */
function pauseRacingTheFirstWrite(scheduleId: string) {
  const seen = { writes: 0, conflicts: 0 };
  return {
    seen,
    observer: {
      beforeUpdate: async () => {
        if (seen.writes++ === 0)
          await stack.temporal.client.schedule.getHandle(scheduleId).pause('paused during the deploy');
      },
      onConflict: () => void seen.conflicts++,
    },
  };
}

test("an operator's pause racing a production start's unpause is not undone: the stale write is lost", async () => {
  const options = await createdOutsideProduction();
  const id = options.scheduleId as string;
  const race = pauseRacingTheFirstWrite(id);
  const outcome = await ensureScheduleAtStart(
    stack.container,
    { ...options, production: true },
    race.observer,
  );
  assert.deepEqual(race.seen, { writes: 1, conflicts: 1 }, 'the write carried the stale token and was lost');
  assert.equal(outcome, 'unchanged', 'read again: the pause is an operator’s, nothing to do');
  assert.deepEqual(await pausedState(id), [true, 'paused during the deploy']);
});

test("an operator's pause racing a new configuration: the configuration is written again, the pause kept", async () => {
  const options = await createdOutsideProduction();
  const id = options.scheduleId as string;
  const race = pauseRacingTheFirstWrite(id);
  const changed = { ...options, production: true, settings: { ...options.settings, pageSize: 9 } };
  assert.equal(await ensureScheduleAtStart(stack.container, changed, race.observer), 'updated');
  assert.deepEqual(race.seen, { writes: 2, conflicts: 1 });
  const updated = await describe(id);
  assert.deepEqual([updated.state.paused, updated.state.note], [true, 'paused during the deploy']);
  assert.deepEqual(updated.action.type === 'startWorkflow' && updated.action.args, [
    { settings: changed.settings },
  ]);
});
