import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { eachLimited } from '../../util/each-limited';

/** A lesson workflow as Temporal knows it: gone (past retention, or never started), running, or closed. */
export type WorkflowPresence = 'absent' | 'running' | 'closed';

const DESCRIBE_CONCURRENCY = 8;

/**
 * Temporal's side of an erasure. Histories can't be edited: what a workflow recorded (encrypted
 * by the payload codec) stays until the namespace's retention ends, so the erasure lists them.
 */
export function createWorkflowTraces(client: Client) {
  async function presence(workflowId: string): Promise<WorkflowPresence> {
    try {
      const { status } = await client.workflow.getHandle(workflowId).describe();
      return status.name === 'RUNNING' ? 'running' : 'closed';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 'absent';
      throw error;
    }
  }

  async function listIds(query: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const wf of client.workflow.list({ query })) ids.push(wf.workflowId);
    return ids;
  }

  const quoted = (values: string[]) => values.map((v) => `'${v.replace(/'/g, "\\'")}'`).join(', ');

  return {
    /** Each workflow's presence, described a few at a time. */
    async presenceOf(workflowIds: string[]): Promise<Map<string, WorkflowPresence>> {
      const found = new Map<string, WorkflowPresence>();
      await eachLimited(
        workflowIds,
        DESCRIBE_CONCURRENCY,
        async (id) => void found.set(id, await presence(id)),
      );
      return found;
    },

    /** Waits until the workflow has closed (its result, or its failure, has come). */
    async closed(workflowId: string, timeoutMs: number): Promise<boolean> {
      const result = client.workflow
        .getHandle(workflowId)
        .result()
        .then(
          () => true,
          () => true,
        );
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>(
        (resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)),
      );
      try {
        return await Promise.race([result, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },

    /**
     * The other workflows that recorded the person, from visibility: those tagged with them as tutor
     * or with their Zoom users (reconnection sagas, whose memo holds the Zoom email, and
     * deauthorizations), and the token sweeps of the days a saga of theirs ran (their page
     * results name the failing tokens' emails).
     */
    async taggedWith(userId: string, zoomUserIds: string[]): Promise<string[]> {
      const tags = [`TutorId = ${quoted([userId])}`];
      if (zoomUserIds.length > 0) tags.push(`ZoomUserId IN (${quoted(zoomUserIds)})`);
      const ids = await listIds(tags.join(' OR '));
      const sagaDays = new Set(
        ids.map((id) => /^zoom-reconnection\/[^/]+\/(\d{4}-\d{2}-\d{2})$/.exec(id)?.[1]).filter(Boolean),
      );
      for (const day of sagaDays) {
        const next = new Date(Date.parse(`${day}T00:00:00Z`) + 24 * 3600_000).toISOString();
        ids.push(
          ...(await listIds(
            `WorkflowType = 'tokenSweepWorkflow' AND StartTime >= '${day}T00:00:00Z' AND StartTime < '${next}'`,
          )),
        );
      }
      return ids;
    },
  };
}
export type WorkflowTraces = ReturnType<typeof createWorkflowTraces>;
