import type { Container } from '../container';
import type { ForgetPersonResult } from '../services/erasure/forget-person';
import {
  describeScheduleState,
  ensureTokenSweepSchedule,
  scheduleOptions,
  tokenSweepScheduleState,
} from '../schedule/token-sweep-schedule';
import {
  sweepProgressQuery,
  TOKEN_SWEEP_WORKFLOW_TYPE,
  tokenSweepWorkflowId,
} from '../workflows/definitions/token-sweep';
import { triggerPass } from '../schedule/pass-schedules';
import { createDatabaseOpsCommands } from './database-commands';

/**
 * The operations behind `npm run ops -- …`, each a function of the container so tests can call them;
 * those that only touch the database are in database-commands.ts.
 */
export function createOpsCommands(container: Container, print: (line: string) => void = console.log) {
  const { client } = container.temporal;
  const { env, stores } = container;
  const schedule = () => client.schedule.getHandle(env.VALIDATION_SCHEDULE_ID);

  return {
    ...createDatabaseOpsCommands(container, print),

    /** Triggers a sweep now and follows its progress until it ends. */
    async sweep(onProgress?: (validated: number, total: number) => void): Promise<unknown> {
      const day = container.clock.now().toISOString().slice(0, 10);
      const total = await stores.tokens.countZoomTokens();
      const handle = await client.workflow.start(TOKEN_SWEEP_WORKFLOW_TYPE, {
        taskQueue: env.TEMPORAL_TASK_QUEUE,
        workflowId: `${tokenSweepWorkflowId(day)}/manual-${Date.now()}`,
        args: [{ sweepDate: day, settings: scheduleOptions(env).settings }],
      });
      const result = handle.result();
      let done = false;
      void result.finally(() => (done = true)).catch(() => undefined);
      while (!done) {
        await new Promise((r) => setTimeout(r, 500));
        const progress = await client.workflow
          .getHandle(handle.workflowId)
          .query(sweepProgressQuery)
          .catch(() => undefined);
        // unreadable rows are passed over (and reported): they count as done for the bar
        if (progress) onProgress?.(progress.validated + (progress.unreadable ?? 0), total);
      }
      return result;
    },

    async pause(note = 'Paused by an operator'): Promise<void> {
      await schedule().pause(note);
      print('Schedule paused.');
    },

    async unpause(note = 'Unpaused by an operator'): Promise<void> {
      await schedule().unpause(note);
      print('Schedule unpaused.');
    },

    async ensureSchedule(): Promise<void> {
      const options = scheduleOptions(env);
      const outcome = await ensureTokenSweepSchedule(client, options);
      print(
        `Schedule ${outcome} (${describeScheduleState(await tokenSweepScheduleState(client, options.scheduleId))}).`,
      );
    },

    /** Today's failed and deleted reconnections, from visibility. */
    async failed(): Promise<Array<{ workflowId: string; outcome: string }>> {
      const rows: Array<{ workflowId: string; outcome: string }> = [];
      const day = container.clock.now().toISOString().slice(0, 10);
      // TimedOut too: a saga that outlived its 23 hours (a worker down all day) failed as well.
      const query = `WorkflowType = 'zoomReconnectionWorkflow' AND (ExecutionStatus = 'Failed' OR ExecutionStatus = 'TimedOut' OR ReconnectionOutcome IN ('failed', 'deleted')) AND StartTime >= '${day}T00:00:00Z'`;
      for await (const wf of client.workflow.list({ query })) {
        rows.push({
          workflowId: wf.workflowId,
          outcome: String(wf.searchAttributes?.ReconnectionOutcome?.[0] ?? wf.status.name),
        });
      }
      for (const row of rows) print(`${row.outcome.padEnd(10)} ${row.workflowId}`);
      if (rows.length === 0) print('No failed or deleted reconnections today.');
      return rows;
    },

    /**
     * Delivers one platform event again, under its own webhook-id, with a fresh retry window; a
     * delivered one too (the platform lost it). The pass is woken at once.
     */
    async redeliverEvent(id: string): Promise<boolean> {
      const now = container.clock.now();
      const until = new Date(now.getTime() + env.PLATFORM_EVENTS_DELIVERY_HOURS * 3600_000);
      if (!(await stores.platformEvents.redeliver(id, now, until))) {
        print(`No platform event ${id}.`);
        return false;
      }
      await triggerPass(client, env.PLATFORM_EVENTS_SCHEDULE_ID).catch(() =>
        print(
          'The delivery schedule could not be woken (is PLATFORM_WEBHOOK_URL set?): it runs when it next looks.',
        ),
      );
      print(`Platform event ${id} will be delivered again.`);
      return true;
    },

    /** Erases a person's name and email everywhere we hold them (docs/operations.md, "Personal data"). */
    async forgetPerson(userId: string, options: { cancelOpen?: boolean } = {}): Promise<ForgetPersonResult> {
      const result = await container.services.forgetPerson.forget(userId, options);
      for (const line of describeErasure(result)) print(line);
      return result;
    },
  };
}

/** What forget-person did, or why it did nothing. */
export function describeErasure(result: ForgetPersonResult): string[] {
  if (result.outcome === 'unknown_user') return [`No user ${result.userId}: nothing to forget.`];
  if (result.outcome === 'refused')
    return [
      result.reason === 'open_lessons'
        ? `Refused: ${result.userId} has open lessons. Cancel them first, or run again with --cancel-open:`
        : `Refused: these lessons of ${result.userId} could not be cancelled; nothing was erased:`,
      ...result.lessons.map((l) => `  ${l.id}${l.why ? `  ${l.why}` : ''}`),
    ];
  const changed = Object.entries(result.erased).filter(([, rows]) => rows > 0);
  return [
    `Forgot ${result.userId}.`,
    changed.length > 0
      ? `Rows changed: ${changed.map(([table, rows]) => `${table} ${rows}`).join(', ')}.`
      : 'No row named them any more (already forgotten).',
    ...(result.cancelledLessonIds.length > 0
      ? [`Cancelled first: ${result.cancelledLessonIds.join(', ')}.`]
      : []),
    `Zoom meetings rewritten: ${result.zoomMeetingsRewritten}.`,
    ...result.unreachableTutors.map(
      (t) => `  Zoom of tutor ${t} refused us: rewrite their meetings of these lessons by hand.`,
    ),
    result.workflowIds.length > 0
      ? `These workflow histories keep their (encrypted) data until the namespace's retention ends:`
      : 'No workflow history holds their data.',
    ...result.workflowIds.map((id) => `  ${id}`),
  ];
}
