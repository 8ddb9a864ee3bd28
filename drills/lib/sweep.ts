import { zoomReconnectionWorkflowId } from '../../src/workflows/definitions/token-sweep';
import { seedZoomConnections } from '../../test/support/seed-tokens';
import type { TestStack } from '../../test/support/stack';
import { randomDay, uniqueName } from '../../test/support/temporal';
import { countWhere } from './converge';
import type { TokensCheck } from './types';

/**
 * A sweep's tokens and what the seed's rules say must become of each:
 * - `valid`: stays, 0 attempts;
 * - `valid-reset`: failed yesterday, valid today: stays, reset to 0;
 * - `failing`: dead at Zoom, no attempt yet: stays, 1 attempt counted today, one ReconnectZoom email;
 * - `failing-last`: dead, 2 attempts already: the third deletes it, one "Zoom was disconnected" email.
 */
export type TokenFate = 'valid' | 'valid-reset' | 'failing' | 'failing-last';
export interface SweepToken {
  tokenId: string;
  tutorId: string;
  fate: TokenFate;
}
export interface SweepPlan {
  day: string;
  tokens: SweepToken[];
}

export const MAX_ATTEMPTS = 3;
const failing = (t: SweepToken): boolean => t.fate === 'failing' || t.fate === 'failing-last';

function fateOf(i: number): TokenFate {
  if (i % 12 === 0) return 'failing-last';
  if (i % 4 === 0) return 'failing';
  return i % 8 === 1 ? 'valid-reset' : 'valid';
}

function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** Seeds `count` connected tutors, a quarter of them with a grant Zoom has revoked. */
export async function seedSweep(stack: TestStack, count: number): Promise<SweepPlan> {
  const day = randomDay();
  const tutorIds = await seedZoomConnections(stack, count, `sweep-${Date.now().toString(36)}`);
  const db = stack.database.db;
  const { tokens: store } = stack.container.stores;
  const tokens: SweepToken[] = [];
  for (const [i, tutorId] of tutorIds.entries()) {
    const row = await store.findByUser(tutorId);
    if (!row) throw new Error(`seeding lost the token of ${tutorId}`);
    const token = { tokenId: row.id, tutorId, fate: fateOf(i) };
    tokens.push(token);
    if (failing(token)) stack.zoom.revokeToken(row.refreshToken);
  }
  const ids = (fates: TokenFate[]): string[] =>
    tokens.filter((t) => fates.includes(t.fate)).map((t) => t.tokenId);
  await db('oauth_service_tokens')
    .whereIn('id', ids(['failing', 'failing-last']))
    .update({ expires_at: new Date(0) });
  await db('oauth_service_tokens')
    .whereIn('id', ids(['failing-last']))
    .update({ reconnection_attempts: MAX_ATTEMPTS - 1, last_attempt_counted_on: dayBefore(day) });
  await db('oauth_service_tokens')
    .whereIn('id', ids(['valid-reset']))
    .update({ reconnection_attempts: 1, last_attempt_counted_on: dayBefore(day) });
  return { day, tokens };
}

/** Starts the service's own sweep for the plan's day, in small pages so that it takes a while. */
export function startSweep(stack: TestStack, plan: SweepPlan, pageSize: number, concurrency: number) {
  return stack.temporal.client.workflow.start('tokenSweepWorkflow', {
    taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
    workflowId: uniqueName('drill-sweep'),
    args: [{ sweepDate: plan.day, settings: { pageSize, concurrency, maxAttempts: MAX_ATTEMPTS } }],
  });
}

/**
 * Tokens with nothing left to happen: no reconnection saga running, and for a failing token its
 * saga closed. Called once the sweep has closed, when every saga it started exists (valid tokens
 * that failed transiently in their page get a saga too, which resets them).
 */
export function settledTokens(stack: TestStack, plan: SweepPlan): Promise<number> {
  return countWhere(plan.tokens, 20, async (t) => {
    const handle = stack.temporal.client.workflow.getHandle(zoomReconnectionWorkflowId(t.tokenId, plan.day));
    const described = await handle.describe().catch(() => undefined);
    if (!described) return !failing(t);
    return described.status.name !== 'RUNNING';
  });
}

export const reconnectEmailKeys = (plan: SweepPlan): string[] =>
  plan.tokens.filter(failing).map((t) => `zoom-reconnect:${t.tokenId}:${plan.day}`);

/** Reconnection emails confirmed in the ledger so far: how far the sweep has got. */
export async function reconnectEmailsRecorded(stack: TestStack): Promise<number> {
  const [row] = await stack.database
    .db('sent_emails')
    .where('idempotency_key', 'like', 'zoom-reconnect:%')
    .where({ status: 'sent' })
    .count<Array<{ count: string }>>({ count: '*' });
  return Number(row?.count ?? 0);
}

/** No token lost or double-counted: each row is present or deleted, and counted, as its fate says. */
export async function checkTokens(stack: TestStack, plan: SweepPlan): Promise<TokensCheck> {
  const rows = await stack.database
    .db('oauth_service_tokens')
    .whereIn(
      'id',
      plan.tokens.map((t) => t.tokenId),
    )
    .select<Array<{ id: string; attempts: number; counted_on: string | null }>>(
      'id',
      'reconnection_attempts as attempts',
      stack.database.db.raw(`to_char(last_attempt_counted_on, 'YYYY-MM-DD') as counted_on`),
    );
  const byId = new Map(rows.map((r) => [String(r.id), r]));
  const check: TokensCheck = {
    tokens: plan.tokens.length,
    lost: 0,
    doubleCounted: 0,
    wrong: 0,
    problems: [],
  };
  const flag = (field: 'lost' | 'doubleCounted' | 'wrong', t: SweepToken, what: string): void => {
    check[field]++;
    if (check.problems.length < 10) check.problems.push(`token ${t.tokenId} (${t.fate}): ${what}`);
  };
  for (const t of plan.tokens) {
    const row = byId.get(t.tokenId);
    if (t.fate === 'failing-last') {
      if (row) flag('wrong', t, `still present with ${row.attempts} attempts`);
      continue;
    }
    if (!row) {
      flag('lost', t, 'deleted');
      continue;
    }
    const expected = t.fate === 'failing' ? 1 : 0;
    if (row.attempts > expected) flag('doubleCounted', t, `${row.attempts} attempts, expected ${expected}`);
    else if (row.attempts < expected) flag('wrong', t, `${row.attempts} attempts, expected ${expected}`);
    else if (t.fate === 'failing' && row.counted_on !== plan.day)
      flag('wrong', t, `counted on ${row.counted_on}, not ${plan.day}`);
  }
  return check;
}
