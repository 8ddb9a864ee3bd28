import { deprecatePatch, patched } from '@temporalio/workflow';

/**
 * Every patch of every workflow, and where it stands. Lessons live for weeks and sweeps for hours,
 * so a change that alters the commands a workflow issues (an activity added, removed, reordered or
 * renamed, a timer, a child, a search attribute) must still replay the histories of workflows
 * that started under the old code. Such a change goes through this list, and up its ladder:
 *
 * 1. `patched`: add an entry (its id, the date, the stage `patched`, and a history recorded by the
 *    code before the change, which the replay test replays). Workflow code asks `isPatched(id)`:
 *    true on new runs, false when replaying a history from before; both code paths stay.
 * 2. `deprecated`: once no workflow that started before the patch is open, the old path goes;
 *    `isPatched(id)` then calls `deprecatePatch` and returns true.
 * 3. `removed`: once no workflow that started before the deprecation is open, the call goes too.
 *    The entry stays, as the record of what changed when.
 *
 * Nothing had been deployed when the release baseline removed every pre-release patch, so the list
 * starts empty. A change that alters no command (a fix inside an activity, a new query) needs none.
 */
export interface Patch {
  readonly id: string;
  /** When the patch was added (yyyy-mm-dd). */
  readonly since: string;
  readonly stage: 'patched' | 'deprecated' | 'removed';
  /** A saved history (relative to test/), recorded before the patch; replayed while it is `patched`. */
  readonly historyBefore: string;
}

export const PATCHES = [] as const satisfies readonly Patch[];

/** The ids workflow code may ask about: those not removed. */
export type PatchId = Exclude<(typeof PATCHES)[number], { stage: 'removed' }>['id'];

/** The one way workflow code asks for a patch, so that every patch is on the list above. */
export function isPatched(id: PatchId): boolean {
  const patch = (PATCHES as readonly Patch[]).find((p) => p.id === id);
  if (patch?.stage === 'deprecated') {
    deprecatePatch(id);
    return true;
  }
  return patched(id);
}
