import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { renderRows } from '../../bench/lib/report';
import type { DrillResult, EmailsCheck } from './types';

const NOTE_CHARS = 240;
const cell = (text: string): string => text.replace(/\|/g, '/').replace(/\s+/g, ' ');

/** Duplicates, then what explains them: answers lost after the send, copies across a crash. */
function emailCell(emails: EmailsCheck): string {
  const why = [
    emails.lostAnswers ? `${emails.lostAnswers} lost 202s` : '',
    emails.acrossDisruption ? `${emails.acrossDisruption} across the disruption` : '',
  ].filter(Boolean);
  const missing = emails.missing ? `, ${emails.missing} missing` : '';
  return `${emails.duplicates}${missing}${why.length ? ` (${why.join(', ')})` : ''}`;
}

/** One table row per drill: the invariants side by side, then the verdict and the main notes. */
export function renderDrillTable(results: DrillResult[]): string {
  const header = [
    'drill',
    'lessons/tokens',
    'duration',
    'meetings ok',
    'duplicate emails',
    'lost/double-counted tokens',
    'result',
    'notes',
  ];
  const rows = results.map((r) => {
    const { meetings, emails, tokens } = r;
    const notes = r.notes.join('; ');
    return [
      r.title,
      r.subjects,
      `${(r.durationMs / 1000).toFixed(1)} s`,
      meetings
        ? `${meetings.ok}/${meetings.lessons}${meetings.orphans ? ` +${meetings.orphans} orphans` : ''}`
        : '–',
      emails ? emailCell(emails) : '–',
      tokens ? `${tokens.lost}/${tokens.doubleCounted}${tokens.wrong ? `, ${tokens.wrong} wrong` : ''}` : '–',
      r.passed ? 'pass' : 'FAIL',
      notes.length > NOTE_CHARS ? `${notes.slice(0, NOTE_CHARS)}…` : notes,
    ].map(cell);
  });
  return renderRows(header, rows);
}

/** Writes the results as JSON (every note in full) and the table as Markdown beside it. */
export function writeDrillResults(
  results: DrillResult[],
  paths: { json: string; markdown: string },
  meta: Record<string, unknown>,
): string {
  const table = renderDrillTable(results);
  for (const p of Object.values(paths)) mkdirSync(dirname(p), { recursive: true });
  writeFileSync(paths.json, JSON.stringify({ meta, results }, null, 2));
  writeFileSync(paths.markdown, `${table}\n`);
  return table;
}
