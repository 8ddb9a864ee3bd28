import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One measured figure: a value, what it is compared with, and the goal it is held to. */
export interface Figure {
  group: string;
  name: string;
  value: number;
  unit: string;
  /** The reference it is compared with (the seed's loop, Temporal's ceiling, the theoretical limit). */
  reference?: { name: string; value: number };
  goal?: { description: string; met: boolean };
  notes?: string;
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2);
}

export function ratio(figure: Figure): number | undefined {
  return figure.reference && figure.reference.value !== 0 ? figure.value / figure.reference.value : undefined;
}

export function renderTable(figures: Figure[]): string {
  const header = ['group', 'figure', 'value', 'reference', 'ratio', 'goal', 'met', 'notes'];
  const rows = figures.map((f) => {
    const r = ratio(f);
    return [
      f.group,
      f.name,
      `${fmt(f.value)} ${f.unit}`,
      f.reference ? `${f.reference.name}: ${fmt(f.reference.value)}` : '',
      r === undefined ? '' : `${fmt(r)}×`,
      f.goal?.description ?? '',
      f.goal ? (f.goal.met ? 'yes' : 'NO') : '',
      f.notes ?? '',
    ];
  });
  return renderRows(header, rows);
}

/** A Markdown table with padded columns, from a header and rows of cells. */
export function renderRows(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export async function renderChart(figures: Figure[]): Promise<string> {
  const vl = await import('vega-lite');
  const vega = await import('vega');
  const values = figures
    // ratios where higher is better: speedups, fractions of a limit, and goals against a reference
    .filter((f) => f.unit === '×' || (f.reference && f.goal))
    .map((f) => ({
      figure: `${f.group}: ${f.name}`,
      ratio: f.unit === '×' ? f.value : (ratio(f) ?? 0),
      met: f.goal?.met ?? true,
    }));
  // A log scale: fractions of a limit (about 1) and speedups (about 90) side by side, each readable.
  const spec = vl.compile({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Ratios: speedups and fractions of the limit or ceiling (higher is better)',
    width: 520,
    data: { values: values.filter((v) => v.ratio > 0) },
    encoding: {
      y: { field: 'figure', type: 'nominal', sort: null, title: null, axis: { labelLimit: 400 } },
      x: {
        field: 'ratio',
        type: 'quantitative',
        title: 'ratio (log scale)',
        scale: { type: 'log', domain: [0.1, 200] },
      },
    },
    layer: [
      {
        mark: 'bar',
        encoding: {
          x2: { datum: 0.1 }, // a log scale has no zero: bars start at the axis
          color: {
            field: 'met',
            type: 'nominal',
            title: 'goal met',
            scale: { domain: [true, false], range: ['#2f855a', '#c53030'] },
          },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 3 },
        encoding: { text: { field: 'ratio', type: 'quantitative', format: '.2f' } },
      },
    ],
  }).spec;
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  return view.toSVG();
}

export async function writeReport(
  figures: Figure[],
  paths: { json: string; svg: string; markdown: string },
  meta: Record<string, unknown>,
): Promise<string> {
  const table = renderTable(figures);
  for (const p of Object.values(paths)) mkdirSync(dirname(p), { recursive: true });
  writeFileSync(paths.json, JSON.stringify({ meta, figures }, null, 2));
  writeFileSync(paths.svg, await renderChart(figures));
  writeFileSync(paths.markdown, `${table}\n`);
  return table;
}
