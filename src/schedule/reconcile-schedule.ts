import { randomUUID } from 'node:crypto';
import {
  isGrpcServiceError,
  type Client,
  type ScheduleDescription,
  type ScheduleOptions as SdkScheduleOptions,
} from '@temporalio/client';
// SDK 1.24 exports no encoder for an update of its own: these are the ones its handle.update() uses.
import {
  compileUpdatedScheduleOptions,
  encodeScheduleAction,
  encodeSchedulePolicies,
  encodeScheduleSpec,
} from '@temporalio/client/lib/schedule-helpers';
import type { Payload } from '@temporalio/common';

/** The schedule the service wants: its configuration, and that configuration's digest. */
export interface DesiredSchedule {
  spec: SdkScheduleOptions['spec'];
  action: SdkScheduleOptions['action'];
  policies: SdkScheduleOptions['policies'];
  digest: string;
  /** A production deployment lifts the pause that a non-production start set. */
  production: boolean;
}

/** What the service knows of a schedule: its configuration's digest and its paused state. */
export interface ScheduleFacts {
  digest?: string;
  paused: boolean;
  note?: string;
}

/** The notes that mark the service's own writes of the paused state; any other note is an operator's. */
export interface ServiceNotes {
  /** The pause a non-production start sets at creation. */
  paused: string;
  /** The note a production start leaves when it lifts that pause. */
  unpaused: string;
}

export interface ScheduleChange {
  writeConfig: boolean;
  unpause: boolean;
}

/** Between the read and the write (tests inject an operator's pause there), and on a lost write. */
export interface ReconcileObserver {
  beforeUpdate?(): Promise<void>;
  onConflict?(): void;
}

export type ReconcileOutcome = 'updated' | 'unpaused' | 'updated and unpaused' | 'unchanged';

/** gRPC's FAILED_PRECONDITION: the server-side schedulers that check the token on the call answer it. */
const FAILED_PRECONDITION = 9;
const MAX_ROUNDS = 5;

/**
 * What to write, or nothing: the configuration when its digest differs, and the paused state only
 * to lift the service's own pause in production. A pause with any other note is an operator's.
 */
export function planScheduleChange(
  current: ScheduleFacts,
  desired: Pick<DesiredSchedule, 'digest' | 'production'>,
  notes: ServiceNotes,
): ScheduleChange | undefined {
  const writeConfig = current.digest !== desired.digest;
  const unpause = desired.production && current.paused && current.note === notes.paused;
  return writeConfig || unpause ? { writeConfig, unpause } : undefined;
}

/**
 * Brings an existing schedule to the desired configuration (and out of the service's pause in
 * production) without ever undoing an operator's change. Every write carries the conflict token of
 * the read it was decided on; SDK 1.24's `update()` and `unpause()` send none. A write that lost a
 * race is refused (FAILED_PRECONDITION) or, by the workflow-backed scheduler, dropped without an
 * error: either way the next read shows it missing, and the change is decided again on that read.
 */
export async function reconcileSchedule(
  client: Client,
  scheduleId: string,
  desired: DesiredSchedule,
  readFacts: (description: ScheduleDescription) => ScheduleFacts,
  notes: ServiceNotes,
  observer: ReconcileObserver = {},
): Promise<ReconcileOutcome> {
  const handle = client.schedule.getHandle(scheduleId);
  let current = await handle.describe();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const facts = readFacts(current);
    const change = planScheduleChange(facts, desired, notes);
    if (!change) return 'unchanged';
    await observer.beforeUpdate?.();
    const written = await writeWithConflictToken(client, scheduleId, current, facts, change, desired, notes);
    current = await handle.describe();
    const after = readFacts(current);
    const applied =
      written !== 'conflict' &&
      after.digest === written.digest &&
      after.paused === written.paused &&
      after.note === written.note;
    if (applied) return outcomeOf(change);
    observer.onConflict?.();
  }
  throw new Error(`schedule ${scheduleId} kept changing while it was updated: ${MAX_ROUNDS} writes lost`);
}

/** One UpdateSchedule with the read's conflict token: the facts it wrote, or 'conflict' if refused. */
async function writeWithConflictToken(
  client: Client,
  scheduleId: string,
  current: ScheduleDescription,
  facts: ScheduleFacts,
  change: ScheduleChange,
  desired: DesiredSchedule,
  notes: ServiceNotes,
): Promise<ScheduleFacts | 'conflict'> {
  const { schedule, conflictToken } = current.raw;
  const { namespace, identity } = client.schedule.options;
  const state = {
    ...schedule?.state,
    paused: change.unpause ? false : facts.paused,
    notes: change.unpause ? notes.unpaused : facts.note,
  };
  const config = change.writeConfig
    ? await encodeConfig(client, scheduleId, desired, schedule?.action?.startWorkflow?.header?.fields ?? {})
    : { spec: schedule?.spec, action: schedule?.action, policies: schedule?.policies };
  try {
    await client.workflowService.updateSchedule({
      namespace,
      scheduleId,
      schedule: { ...config, state },
      conflictToken,
      identity,
      requestId: randomUUID(),
    });
  } catch (error) {
    if (isGrpcServiceError(error) && error.code === FAILED_PRECONDITION) return 'conflict';
    throw error;
  }
  return {
    digest: change.writeConfig ? desired.digest : facts.digest,
    paused: state.paused,
    note: state.notes ?? undefined,
  };
}

/** The desired spec, action and policies as the SDK's own update encodes them (headers kept). */
async function encodeConfig(
  client: Client,
  scheduleId: string,
  desired: DesiredSchedule,
  headers: Record<string, Payload>,
) {
  const { spec, action, policies } = compileUpdatedScheduleOptions(scheduleId, {
    spec: desired.spec,
    action: desired.action,
    policies: desired.policies,
    state: {},
  });
  const { namespace, loadedDataConverter } = client.schedule.options;
  return {
    spec: encodeScheduleSpec(spec),
    action: await encodeScheduleAction(loadedDataConverter, namespace, action, headers),
    policies: encodeSchedulePolicies(policies),
  };
}

function outcomeOf(change: ScheduleChange): ReconcileOutcome {
  if (change.writeConfig) return change.unpause ? 'updated and unpaused' : 'updated';
  return 'unpaused';
}
