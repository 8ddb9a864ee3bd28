import type { TestStack } from '../../test/support/stack';
import type { EmailsCheck } from './types';

const MAX_PROBLEMS = 10;

/**
 * Every expected email (one idempotency key: lesson:event:version:recipient, or
 * zoom-reconnect:token:day) reached the SendGrid emulator exactly once. Counted from the outbox,
 * never from the service's own ledger, so a send the ledger missed shows up as a duplicate.
 *
 * `lostAnswerFaults` are the ids of fault rules that apply a send and then lose the answer (hang
 * or reset after): SendGrid's events must confirm those sends, so that none is repeated.
 */
export async function checkEmails(
  stack: TestStack,
  expectedKeys: string[],
  context: {
    lostAnswerFaults?: ReadonlySet<string>;
    disruptedAt?: number;
    /** Only keys like this are this check's: the other half of a combined drill checks the rest. */
    scope?: RegExp;
  } = {},
): Promise<EmailsCheck> {
  const { lostAnswerFaults = new Set<string>(), disruptedAt, scope } = context;
  const inScope = (key: string): boolean => !scope || scope.test(key);
  const everything = stack.sendgrid.outbox();
  const truncated = stack.sendgrid.outboxTotal() > everything.length;
  const outbox = everything.filter((m) => inScope(m.customArgs.idempotency_key ?? ''));
  const times = new Map<string, number[]>();
  for (const message of outbox) {
    const key = message.customArgs.idempotency_key ?? `(no key) ${message.subject}`;
    times.set(key, [...(times.get(key) ?? []), Date.parse(message.receivedAt)]);
  }
  const counts = new Map([...times].map(([key, at]) => [key, at.length]));
  // A repeat whose copies lie on both sides of the disruption: the crash window, not a stray retry.
  const acrossDisruption = [...times.values()].filter(
    (at) =>
      at.length > 1 &&
      disruptedAt !== undefined &&
      Math.min(...at) <= disruptedAt &&
      Math.max(...at) > disruptedAt,
  ).length;
  const ledger = new Set(
    (await stack.database.db('sent_emails').where({ status: 'sent' }).pluck<string[]>('idempotency_key'))
      .map(String)
      .filter(inScope),
  );
  const expected = new Set(expectedKeys);
  const problems: string[] = [];
  let duplicates = 0;
  for (const [key, count] of counts) {
    if (count > 1) {
      duplicates += count - 1;
      problems.push(`${key}: sent ${count} times`);
    }
    if (!expected.has(key)) problems.push(`${key}: not expected`);
  }
  if (truncated) {
    // The outbox keeps the newest messages only: count what the ledger cannot explain instead.
    duplicates = Math.max(duplicates, stack.sendgrid.outboxTotal() - ledger.size);
    problems.push(`the outbox kept ${outbox.length} of ${stack.sendgrid.outboxTotal()} messages`);
  }
  const sent = truncated ? ledger : counts;
  const missing = expectedKeys.filter((key) => !sent.has(key));
  problems.push(...missing.slice(0, 3).map((key) => `${key}: never sent`));
  const lostAnswers = stack.sendgrid.requests
    .all()
    .filter((r) => r.fault !== undefined && lostAnswerFaults.has(r.fault)).length;
  const confirmed = (
    await stack.database.db('sent_emails').where({ confirmed_by: 'event' }).pluck<string[]>('idempotency_key')
  )
    .map(String)
    .filter(inScope).length;
  return {
    expected: expectedKeys.length,
    duplicates,
    missing: missing.length,
    lostAnswers,
    acrossDisruption,
    confirmedByEvent: confirmed,
    problems: problems.slice(0, MAX_PROBLEMS),
  };
}

/** The notes a drill adds about its emails: answers lost on purpose, sends its events confirmed. */
export function emailNotes(emails: EmailsCheck): string[] {
  return [
    emails.lostAnswers ? `${emails.lostAnswers} SendGrid answers lost after the send` : '',
    emails.confirmedByEvent
      ? `${emails.confirmedByEvent} sends confirmed by SendGrid's events, not sent again`
      : '',
  ].filter(Boolean);
}

/** The LessonBooked emails of a burst: tutor and student, version 1. */
export const bookedEmailKeys = (lessonIds: string[]): string[] =>
  lessonIds.flatMap((id) => [`${id}:booked:1:tutor`, `${id}:booked:1:student`]);
