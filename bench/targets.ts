import type { Measurement, ResultRow, Verdict } from './types.js';
import { formatInt } from './support/progress.js';

const none: Verdict = { baseline: '', ratio: null, target: '', pass: null };

type Judge = (m: Measurement, find: (id: string) => Measurement | undefined) => Verdict;

const ratioTo = (m: Measurement, base: Measurement | undefined): number | null =>
  m.value === null || !base?.value ? null : m.value / base.value;

const baselineText = (base: Measurement | undefined): string =>
  base?.value ? `${base.id} ${formatInt(base.value)} ${base.unit}` : `${base?.id ?? '?'} n/a`;

/** The targets, each judged on the figure and, where it is relative, on its baseline. */
const judges: Record<string, Judge> = {
  P1: (m, find) => {
    const ratio = ratioTo(m, find('B0'));
    return { baseline: baselineText(find('B0')), ratio, target: '>= 0.8 x B0', pass: ratio === null ? null : ratio >= 0.8 };
  },
  P2: (m, find) => {
    const ratio = ratioTo(m, find('B1'));
    const pass = m.value === null || ratio === null ? null : m.value >= 5000 && ratio >= 0.5;
    return { baseline: baselineText(find('B1')), ratio, target: '>= 5,000/s and >= 0.5 x B1', pass };
  },
  P3: (m, find) => {
    const ratio = ratioTo(m, find('B2'));
    return { baseline: baselineText(find('B2')), ratio, target: '>= 0.6 x B2', pass: ratio === null ? null : ratio >= 0.6 };
  },
  P4: (m) => ({ ...none, target: 'p99 < 1,000 ms', pass: m.value === null ? null : m.value < 1000 }),
  P5: (m) => ({ ...none, target: 'growth < 64 MiB', pass: m.value === null ? null : m.value < 64 }),
};

export const judge = (measurements: Measurement[]): ResultRow[] => {
  const find = (id: string) => measurements.find((m) => m.id === id);
  return measurements.map((m) => ({ ...m, ...(judges[m.id]?.(m, find) ?? none) }));
};
