import type { Client, WorkflowExecutionStatusName } from '@temporalio/client';
import type { Clock } from '../../clock';
import { LESSON_WORKFLOW_TYPE } from '../../lessons/ids';
import type { Logger } from '../../logger';
import { LessonId } from '../../temporal/search-attributes';
import type { FailedReason } from './event-types';
import type { LessonEvents } from './lesson-events';

const REASONS: Partial<Record<WorkflowExecutionStatusName, FailedReason>> = {
  FAILED: 'workflow_failed',
  TERMINATED: 'workflow_terminated',
  TIMED_OUT: 'workflow_timed_out',
};

/**
 * lesson.failed: no transaction reports a workflow that failed or was terminated, so Temporal's
 * visibility is asked, every FAILED_LESSONS_POLL_SECONDS, for the lesson workflows of this task
 * queue that closed so within the look-back. Each run is reported once (its dedupe key), however
 * many looks find it.
 */
export function createFailedLessonsReport(deps: {
  client: Client;
  taskQueue: string;
  lessonEvents: LessonEvents;
  enabled: boolean;
  clock: Clock;
  logger: Logger;
  lookbackMs: number;
}) {
  return {
    /** Answers how many new lesson.failed events it wrote. */
    async report(): Promise<number> {
      if (!deps.enabled) return 0;
      const since = new Date(deps.clock.now().getTime() - deps.lookbackMs).toISOString();
      const query =
        `WorkflowType = '${LESSON_WORKFLOW_TYPE}' AND TaskQueue = '${deps.taskQueue}'` +
        ` AND ExecutionStatus IN ('Failed', 'Terminated', 'TimedOut') AND CloseTime > '${since}'`;
      let written = 0;
      for await (const run of deps.client.workflow.list({ query })) {
        const lessonId = run.typedSearchAttributes.get(LessonId);
        const reason = REASONS[run.status.name];
        if (!lessonId || !reason) continue;
        const { workflowId, runId } = run;
        const dedupeKey = `lesson.failed:${workflowId}:${runId}`;
        if (
          !(await deps.lessonEvents.record('lesson.failed', lessonId, undefined, {
            reason,
            workflowId,
            dedupeKey,
          }))
        )
          continue;
        written++;
        deps.logger.warn(
          { lessonId, workflowId, runId, reason },
          'a lesson workflow failed: lesson.failed recorded',
        );
      }
      return written;
    },
  };
}
export type FailedLessonsReport = ReturnType<typeof createFailedLessonsReport>;
