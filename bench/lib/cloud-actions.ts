/**
 * The Temporal Cloud Actions that one workflow history costs, counted by Temporal's published rules
 * (https://docs.temporal.io/cloud/actions, "Temporal Cloud Actions", read 2026-12-06):
 * - Workflow started (client start, Continue-As-New, child start): 1. Each run has its own history.
 * - Timer started: 1, implicit ones (`condition` with a timeout) included.
 * - Search Attribute upsert: 1 per UpsertSearchAttributes command, except one that only sets
 *   `TemporalChangeVersion` (the patches' attribute, exempt).
 * - Signal: 1 per signal, counted where it lands (WorkflowExecutionSignaled), so that a signal
 *   between two histories isn't counted twice.
 * - Update: 1 per accepted Update (a rejected one is billed too but leaves no event).
 * - Activity started or retried: 1 per attempt; the final ActivityTaskStarted carries the attempt.
 * - Local Activities: every RecordMarker command of one Workflow Task counts as 1 together, so 1 per
 *   Workflow Task that recorded markers (local activities, and patch markers with them).
 * - Child Workflow: 2 (its start and its execution).
 * - Workflow Execution Options updated: 1. Nexus Operation scheduled or cancel requested: 1.
 * Not in a history, so not counted: queries, activity heartbeats, rejected updates, schedules' own
 * actions (2 per schedule run, plus the workflow it starts), exports, and the attempts of an
 * activity still retrying when the history was read.
 */

export type ActionRule =
  | 'workflow started'
  | 'timer started'
  | 'search attribute upsert'
  | 'signal'
  | 'update'
  | 'activity attempt'
  | 'local activities (per workflow task)'
  | 'child workflow'
  | 'execution options updated'
  | 'nexus operation';

export interface CloudActions {
  total: number;
  byRule: Partial<Record<ActionRule, number>>;
}

/** A history event as `historyToJSON` writes it (and the saved histories hold it). */
export interface JsonHistoryEvent {
  eventType?: string;
  [attributes: string]: unknown;
}

const CHANGE_VERSION = 'TemporalChangeVersion';

const FLAT_RULES: Record<string, { rule: ActionRule; actions: number }> = {
  WORKFLOW_EXECUTION_STARTED: { rule: 'workflow started', actions: 1 },
  TIMER_STARTED: { rule: 'timer started', actions: 1 },
  WORKFLOW_EXECUTION_SIGNALED: { rule: 'signal', actions: 1 },
  WORKFLOW_EXECUTION_UPDATE_ACCEPTED: { rule: 'update', actions: 1 },
  START_CHILD_WORKFLOW_EXECUTION_INITIATED: { rule: 'child workflow', actions: 2 },
  WORKFLOW_EXECUTION_OPTIONS_UPDATED: { rule: 'execution options updated', actions: 1 },
  NEXUS_OPERATION_SCHEDULED: { rule: 'nexus operation', actions: 1 },
  NEXUS_OPERATION_CANCEL_REQUESTED: { rule: 'nexus operation', actions: 1 },
};

/** Counts the billable actions of one run's history (a pure function of its events). */
export function countCloudActions(history: { events?: JsonHistoryEvent[] }): CloudActions {
  const byRule: Partial<Record<ActionRule, number>> = {};
  const add = (rule: ActionRule, actions: number): void => {
    if (actions > 0) byRule[rule] = (byRule[rule] ?? 0) + actions;
  };
  const tasksWithMarkers = new Set<string>();
  for (const event of history.events ?? []) {
    const type = (event.eventType ?? '').replace(/^EVENT_TYPE_/, '');
    const flat = FLAT_RULES[type];
    if (flat) add(flat.rule, flat.actions);
    else if (type === 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES') {
      const keys = Object.keys(
        attributes(event, 'upsertWorkflowSearchAttributes').searchAttributes?.indexedFields ?? {},
      );
      add('search attribute upsert', keys.some((key) => key !== CHANGE_VERSION) ? 1 : 0);
    } else if (type === 'ACTIVITY_TASK_STARTED') {
      add('activity attempt', Number(attributes(event, 'activityTaskStarted').attempt ?? 1));
    } else if (type === 'MARKER_RECORDED') {
      tasksWithMarkers.add(String(attributes(event, 'markerRecorded').workflowTaskCompletedEventId));
    }
  }
  add('local activities (per workflow task)', tasksWithMarkers.size);
  const total = Object.values(byRule).reduce((sum, n) => sum + n, 0);
  return { total, byRule };
}

interface EventAttributes {
  searchAttributes?: { indexedFields?: Record<string, unknown> };
  attempt?: number | string;
  workflowTaskCompletedEventId?: string | number;
}

const attributes = (event: JsonHistoryEvent, kind: string): EventAttributes =>
  (event[`${kind}EventAttributes`] ?? {}) as EventAttributes;

/** "12 (workflow started 1, timer started 4, …)": a count with its rules, for the bench's notes. */
export const describeCloudActions = (actions: CloudActions): string =>
  Object.entries(actions.byRule)
    .map(([rule, n]) => `${rule} ${n}`)
    .join(', ');
