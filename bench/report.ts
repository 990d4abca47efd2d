import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultRow } from './types.js';

export interface Report {
  startedAt: string;
  finishedAt: string;
  machine: Record<string, unknown>;
  notes: string[];
  rows: ResultRow[];
  errors: string[];
}

const verdict = (pass: boolean | null, target: string): string => {
  if (!target) return '';
  if (pass === null) return 'n/a';
  return pass ? 'pass' : 'FAIL';
};

/** The results as a Markdown table (it reads in a terminal and pastes into the README as it is). */
export const renderTable = (rows: ResultRow[]): string => {
  const header = ['id', 'what', 'figure', 'baseline', 'ratio', 'target', 'result'];
  const lines = rows.map((row) => [
    row.id,
    row.what,
    row.figure,
    row.baseline,
    row.ratio === null ? '' : row.ratio.toFixed(2),
    row.target,
    verdict(row.pass, row.target),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => (line[i] ?? '').length)));
  const format = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [format(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(format)].join('\n');
};

/** Writes results/<timestamp>.json and results/latest.json; returns the first path. */
export const writeReport = (report: Report, folder: string): string => {
  mkdirSync(folder, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const path = join(folder, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(path, json);
  writeFileSync(join(folder, 'latest.json'), json);
  return path;
};
