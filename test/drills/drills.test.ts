import assert from 'node:assert/strict';
import { test } from 'node:test';
import { providerFaultsBurst } from '../../drills/provider-faults';
import { refreshRace } from '../../drills/refresh-race';
import { renderDrillTable } from '../../drills/lib/report';
import { QUICK, runDrills } from '../../drills/lib/runner';

// The drill machinery end to end, small: a worker in a child process, a burst of 10 lessons with
// a fifth of all provider calls failing, the invariant checks, and the 50-caller refresh race.
test(
  'drills: a tiny 20%-faults burst and the refresh race run through the same code as npm run drills',
  { timeout: 120_000 },
  async () => {
    const results = await runDrills([refreshRace, providerFaultsBurst], {
      ...QUICK,
      lessons: 10,
      deadlineMs: 60_000,
    });
    const [race, burst] = results;
    assert.ok(race && burst, 'both drills ran');
    assert.equal(race.passed, true, race.notes.join('\n'));
    assert.deepEqual(
      [race.tokens?.lost, race.tokens?.doubleCounted],
      [0, 0],
      'one refresh, 50 working tokens',
    );

    assert.equal(burst.converged, true, burst.notes.join('\n'));
    assert.equal(burst.meetings?.ok, 10, burst.notes.join('\n'));
    assert.equal(burst.meetings?.orphans, 0);
    assert.equal(burst.emails?.missing, 0);
    // Answers lost after the send are confirmed by SendGrid's events, so nothing repeats.
    assert.equal(burst.emails?.duplicates, 0, burst.notes.join('\n'));
    assert.equal(burst.passed, true, burst.notes.join('\n'));

    const table = renderDrillTable(results);
    assert.match(table, /50 concurrent refreshes, one tutor .*\| pass/);
    assert.match(table, /20% provider faults, booking burst \| 10 lessons/);
  },
);
