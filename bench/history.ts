import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Figure } from './lib/report';

/**
 * The saved histories the replay tests replay (recorded by today's workflows), by their size: how
 * many events a lesson, a sweep and a saga write. Only the lesson with three reschedules has a goal.
 */
const SAVED_HISTORIES: Array<{ file: string; name: string; goal?: number }> = [
  {
    file: 'lessons/histories/lesson-3-reschedules-cancel.json',
    name: 'a lesson with 3 reschedules and a cancel',
    goal: 100,
  },
  {
    file: 'lessons/histories/lesson-booking-preempted-by-cancel.json',
    name: 'a booking cancelled while retrying Zoom',
  },
  {
    file: 'token-sweep/histories/sweep-outage-12-rounds.json',
    name: 'a sweep through a 12-round Zoom outage',
  },
  { file: 'token-sweep/histories/saga-token-gone.json', name: 'a saga whose token is gone' },
];

export function historyFigures(): Figure[] {
  return SAVED_HISTORIES.map(({ file, name, goal }) => {
    const history = JSON.parse(readFileSync(resolve(__dirname, '../test', file), 'utf8')) as {
      events: unknown[];
    };
    const events = history.events.length;
    return {
      group: 'history',
      name: `events of ${name}`,
      value: events,
      unit: 'events',
      goal: goal === undefined ? undefined : { description: `≤ ${goal}`, met: events <= goal },
      notes: `test/${file}`,
    };
  });
}
