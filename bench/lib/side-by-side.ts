import { renderRows, type Figure } from './report';

/** One target's figures: the dev server's, the cluster's. */
export interface TargetFigures {
  label: string;
  figures: Figure[];
}

const cellOf = (f: Figure | undefined): string => {
  if (!f) return '–';
  const value = Math.abs(f.value) >= 100 ? f.value.toFixed(0) : f.value.toFixed(2);
  return `${Number.isFinite(f.value) ? value : 'n/a'} ${f.unit}${f.goal && !f.goal.met ? ' (goal NO)' : ''}`;
};

/**
 * The same figures of several targets side by side: one row per figure (group and name, in the
 * order they first appear), one column per target, '–' where a target has no such figure.
 */
export function renderSideBySide(targets: TargetFigures[]): string {
  const key = (f: Figure): string => `${f.group}\u0000${f.name}`;
  const rows = new Map<string, Figure>();
  for (const t of targets) for (const f of t.figures) if (!rows.has(key(f))) rows.set(key(f), f);
  const header = ['group', 'figure', ...targets.map((t) => t.label), 'goal'];
  const body = [...rows.entries()].map(([k, first]) => [
    first.group,
    first.name,
    ...targets.map((t) => cellOf(t.figures.find((f) => key(f) === k))),
    first.goal?.description ?? '',
  ]);
  return renderRows(header, body);
}

/** A target's figures under group names of their own, for the one JSON and chart of the run. */
export const labelled = (t: TargetFigures): Figure[] =>
  t.figures.map((f) => ({ ...f, group: `${f.group} (${t.label})` }));
