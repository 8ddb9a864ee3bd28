import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiFor } from '../../drills/lib/burst';
import { combineMeasured, mergeEmailChecks } from '../../drills/lib/cluster-drill';
import type { Measured } from '../../drills/lib/run-drill';
import { verdict, type EmailsCheck } from '../../drills/lib/types';

test('bookings go round-robin over the APIs, and each repeat goes to the next API', () => {
  const apis = ['http://a', 'http://b'];
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => apiFor(apis, i, 0)),
    ['http://a', 'http://b', 'http://a', 'http://b'],
  );
  // Booking 0's first POST went to a (killed): its repeats alternate, starting with b.
  assert.deepEqual(
    [0, 1, 2].map((attempt) => apiFor(apis, 0, attempt)),
    ['http://a', 'http://b', 'http://a'],
  );
  assert.equal(apiFor(['http://only'], 7, 3), 'http://only');
  assert.throws(() => apiFor([], 0, 0), /no API/);
});

const emails = (over: Partial<EmailsCheck>): EmailsCheck => ({
  expected: 10,
  duplicates: 0,
  missing: 0,
  lostAnswers: 0,
  acrossDisruption: 0,
  confirmedByEvent: 0,
  problems: [],
  ...over,
});

test('the email checks of the burst and the sweep add up, problems of both kept', () => {
  const merged = mergeEmailChecks(
    emails({ expected: 200, duplicates: 1, acrossDisruption: 1, problems: ['dup L1'] }),
    emails({ expected: 75, missing: 2, confirmedByEvent: 3, problems: ['missing T9'] }),
  );
  assert.deepEqual(merged, {
    expected: 275,
    duplicates: 1,
    missing: 2,
    lostAnswers: 0,
    acrossDisruption: 1,
    confirmedByEvent: 3,
    problems: ['dup L1', 'missing T9'],
  });
  const only = emails({ expected: 4 });
  assert.equal(mergeEmailChecks(only, undefined), only);
  assert.equal(mergeEmailChecks(undefined, undefined), undefined);
});

const burst: Measured = {
  subjects: '100 lessons',
  durationMs: 30_000,
  converged: true,
  meetings: { lessons: 100, ok: 100, orphans: 0, problems: [] },
  emails: emails({ expected: 200 }),
  notes: ['SIGKILL of history'],
};
const sweep: Measured = {
  subjects: '200 tokens (50 failing)',
  durationMs: 12_000,
  converged: true,
  tokens: { tokens: 200, lost: 0, doubleCounted: 0, wrong: 0, problems: [] },
  emails: emails({ expected: 50 }),
  notes: ['1 run(s)'],
};

test('one row for both halves: meetings from the burst, tokens from the sweep, notes labelled', () => {
  const row = combineMeasured(burst, sweep);
  assert.equal(row.subjects, '100 lessons + 200 tokens (50 failing)');
  assert.equal(row.durationMs, 42_000);
  assert.equal(row.meetings, burst.meetings);
  assert.equal(row.tokens, sweep.tokens);
  assert.equal(row.emails?.expected, 250);
  assert.deepEqual(row.notes, ['burst: SIGKILL of history', 'sweep: 1 run(s)']);
  assert.equal(verdict({ drill: 'd', title: 't', ...row }).passed, true);
});

test('the row fails when either half failed: a lost token, or a burst that did not converge', () => {
  const lost = combineMeasured(burst, {
    ...sweep,
    tokens: { tokens: 200, lost: 1, doubleCounted: 0, wrong: 0, problems: ['token 7: deleted'] },
  });
  assert.equal(verdict({ drill: 'd', title: 't', ...lost }).passed, false);
  const stuck = combineMeasured({ ...burst, converged: false }, sweep);
  assert.equal(stuck.converged, false);
  assert.equal(verdict({ drill: 'd', title: 't', ...stuck }).passed, false);
});
