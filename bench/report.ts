import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Measurement, ResultRow } from './types.js';

const verdict = ({ pass, target }: ResultRow): string =>
  !target ? '' : pass === null ? 'n/a' : pass ? 'pass' : 'FAIL';

/** The results as a Markdown table (it reads in a terminal and pastes into docs/performance.md as it is). */
export const renderTable = (rows: ResultRow[]): string => {
  const header = ['id', 'what', 'figure', 'baseline', 'ratio', 'target', 'result'];
  const lines = rows.map((r) => [
    r.id,
    r.what,
    r.figure,
    r.baseline,
    r.ratios.map((x) => x?.toFixed(2) ?? 'n/a').join(', '),
    r.target,
    verdict(r),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => (line[i] ?? '').length)));
  const format = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [format(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(format)].join('\n');
};

/** Writes results/<timestamp>.json and results/latest.json; returns the first path. */
export const writeReport = (report: { startedAt: string; rows: ResultRow[] }, folder: string): string => {
  mkdirSync(folder, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const path = join(folder, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(path, json);
  writeFileSync(join(folder, 'latest.json'), json);
  return path;
};

const DISTURBED_CORES = 0.15;

/** Stages during which processes outside the benchmark used a noticeable share of the CPU. */
export const disturbanceNote = (measurements: Measurement[]): string[] => {
  const disturbed = measurements.flatMap((m) => {
    const other = (m.details.cpuCores as Record<string, number> | undefined)?.['other processes'] ?? 0;
    return other > DISTURBED_CORES ? [`${m.id} (${other.toFixed(2)} cores)`] : [];
  });
  return disturbed.length
    ? [
        `Processes outside the benchmark used CPU during ${disturbed.join(', ')}: those figures are lower than this machine can do.`,
      ]
    : [];
};
