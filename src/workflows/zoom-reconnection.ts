import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { LessonActivities } from '../activities/lessons';
import type { TokenSweepActivities } from '../activities/token-sweep';
import { ReconnectionAttempts, ReconnectionOutcome } from '../temporal/search-attributes';
import type { ReconnectionInput } from './definitions/token-sweep';

const DAY_MS = 24 * 3600_000;

const acts = proxyActivities<TokenSweepActivities & Pick<LessonActivities, 'moveUpcomingZoomLessonsToDaily'>>(
  {
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '2 seconds', maximumInterval: '10 minutes' },
  },
);

function setOutcome(outcome: string, attempts?: number): void {
  upsertSearchAttributes([
    { key: ReconnectionOutcome, value: outcome },
    ...(attempts === undefined ? [] : [{ key: ReconnectionAttempts, value: attempts }]),
  ]);
}

/**
 * One failing Zoom token on one day: the seed's ValidateZoomTokens steps 2–5, durable.
 * Transient Zoom faults are retried until the day ends; they never count an attempt or send mail.
 */
export async function zoomReconnectionWorkflow(
  input: ReconnectionInput,
): Promise<{ outcome: string; attempts?: number }> {
  // 2. Validate by calling the Zoom API (refreshing first when expired), retrying faults within the day.
  const endOfDay = Date.parse(`${input.day}T00:00:00Z`) + DAY_MS;
  // Bounded by what is left of the day when the step is scheduled (Date.now() is workflow time).
  const untilEndOfDay = () =>
    proxyActivities<TokenSweepActivities>({
      startToCloseTimeout: '1 minute',
      scheduleToCloseTimeout: Math.max(60_000, endOfDay - Date.now()),
      retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
    });
  const { validateZoomToken } = untilEndOfDay();
  let check: Awaited<ReturnType<typeof validateZoomToken>>;
  try {
    check = await validateZoomToken({ tokenId: input.tokenId });
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    setOutcome('failed');
    throw ApplicationFailure.nonRetryable(
      `Zoom could not be reached for token ${input.tokenId} on ${input.day}; nothing was counted`,
      'ValidationFailed',
    );
  }

  // Deleted before the saga ran (a disconnect, a deauthorization): not a healthy token.
  if (check.outcome === 'missing') {
    setOutcome('gone');
    return { outcome: 'gone' };
  }
  if (check.outcome !== 'invalid' || check.version === undefined) {
    if (check.outcome === 'valid') await acts.resetReconnectionAttempts({ tokenId: input.tokenId });
    setOutcome('valid', 0);
    return { outcome: 'valid', attempts: 0 };
  }

  // 3–5. Email the tutor, count the attempt, and at the maximum delete the token; within the day
  // too, so that a SendGrid outage fails the saga visibly instead of timing it out unlisted.
  const { handleInvalidToken } = untilEndOfDay();
  let handled: Awaited<ReturnType<typeof handleInvalidToken>>;
  try {
    handled = await handleInvalidToken({
      tokenId: input.tokenId,
      version: check.version,
      day: input.day,
      maxAttempts: input.maxAttempts,
    });
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    setOutcome('failed');
    throw ApplicationFailure.nonRetryable(
      `The reconnection of token ${input.tokenId} could not be completed on ${input.day} (email, count or delete kept failing)`,
      'ReconnectionFailed',
    );
  }
  setOutcome(handled.outcome, handled.attempts);
  if (handled.outcome === 'deleted') await acts.moveUpcomingZoomLessonsToDaily({ tutorId: input.tutorId });
  return handled;
}
