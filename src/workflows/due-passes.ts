import { ActivityFailure } from '@temporalio/workflow';
import type { DuePassInput, DuePassResult } from './definitions/due-passes';

/**
 * One pass over an outbox's due rows: each gets one attempt, whose own failure is booked in its
 * row with backoff. A row whose activity fails for good (worker or PostgreSQL down) stays due, so
 * the next run takes it.
 */
export async function runDuePass(
  listDue: (limit: number) => Promise<string[]>,
  processOne: (id: string) => Promise<string>,
  input: DuePassInput,
): Promise<DuePassResult> {
  const batchSize = input.batchSize ?? 20;
  const counts: DuePassResult = {};
  for (let round = 0; round < (input.maxRounds ?? 10); round++) {
    const ids = await listDue(batchSize);
    await Promise.all(
      ids.map(async (id) => {
        let result: string;
        try {
          result = await processOne(id);
        } catch (error) {
          if (!(error instanceof ActivityFailure)) throw error;
          result = 'failed'; // still due: the next run tries again
        }
        counts[result] = (counts[result] ?? 0) + 1;
      }),
    );
    if (ids.length < batchSize) break;
  }
  return counts;
}
