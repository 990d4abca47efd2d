import { formatInt } from './support/figures.js';
import type { Measurement, ResultRow, Verdict } from './types.js';

const none: Verdict = { baseline: '', ratios: [], target: '', pass: null };

type Judge = (m: Measurement, find: (id: string) => Measurement | undefined) => Verdict;

/**
 * At least `minRatio` times the baseline `baseId` (and, where given, at least `minPerSecond`); without `minRatio`,
 * only the ratio, for information.
 */
const relative =
  (baseId: string, minRatio?: number, minPerSecond = 0): Judge =>
  (m, find) => {
    const base = find(baseId);
    const ratio = m.value === null || !base?.value ? null : m.value / base.value;
    return {
      baseline: base?.value ? `${base.id} ${formatInt(base.value)} ${base.unit}` : `${base?.id ?? '?'} n/a`,
      ratios: [ratio],
      target:
        minRatio === undefined
          ? ''
          : `${minPerSecond ? `>= ${formatInt(minPerSecond)}/s and ` : ''}>= ${minRatio} x ${baseId}`,
      pass:
        minRatio === undefined || m.value === null || ratio === null
          ? null
          : ratio >= minRatio && m.value >= minPerSecond,
    };
  };

/** Every one of the judges' targets; the baselines and ratios in the same order. */
const allOf =
  (...judges: Judge[]): Judge =>
  (m, find) => {
    const verdicts = judges.map((j) => j(m, find));
    return {
      baseline: verdicts.map((v) => v.baseline).join(', '),
      ratios: verdicts.flatMap((v) => v.ratios),
      target: verdicts.map((v) => v.target).join(' and '),
      pass: verdicts.some((v) => v.pass === null) ? null : verdicts.every((v) => v.pass),
    };
  };

const absolute =
  (target: string, passes: (value: number) => boolean): Judge =>
  (m) => ({ ...none, target, pass: m.value === null ? null : passes(m.value) });

/** The issue's targets, each judged on the figure and, where it is relative, on its baseline. */
const judges: Record<string, Judge> = {
  P1: relative('B0', 0.8),
  'P1-drain': relative('P1', 0.7),
  P2: relative('B1', 0.5, 5000),
  'P2-seg': relative('P2'),
  // Issue 17: the browser SDK's batches cost at most a tenth more than the Node SDKs'.
  'P2-browser': relative('P2-seg', 0.9),
  // Issue 20: a 500-type tracking plan, every event conforming, costs P2 at most a tenth; it adds under 300 ms to a
  // cold start of track.
  'P2-plan': relative('P2', 0.9),
  'P2-plan-cold': absolute('< 300 ms', (ms) => ms < 300),
  // Issue 19: 10,000 suppressed subjects cost the hot path at most 5 %.
  'P1-supp': relative('P1-unsupp', 0.95),
  'P2-supp': relative('P2-unsupp', 0.95),
  'P1-unsupp': relative('P1'),
  'P2-unsupp': relative('P2'),
  // Issue 19: a million rows of one user gone within 3 minutes, track's p99 under 1 s meanwhile.
  'D-erase': (m) => {
    const p99 = (m.details.trackMs as { p99?: number } | undefined)?.p99;
    const pass = m.value === null || p99 === undefined ? null : m.value < 180 && p99 < 1000;
    return { ...none, target: 'FINISHED < 180 s, track p99 < 1,000 ms', pass };
  },
  // Issue 18: the drain against the raw INSERT and against a raw consumer that inserts (B3), both on this machine.
  P3: allOf(relative('B2', 0.6), relative('B3', 0.8)),
  'P1-N4': relative('P1', 1.0),
  'P3-N2': relative('P3', 1.4),
  'P3-N4': relative('P3'),
  P4: absolute('p99 < 1,000 ms', (ms) => ms < 1000),
  P5: absolute('growth < 64 MiB', (growth) => growth < 64),
  'M-soak': absolute('heap growth < 64 MiB', (growth) => growth < 64),
};

export const judge = (measurements: Measurement[]): ResultRow[] => {
  const find = (id: string) => measurements.find((m) => m.id === id);
  return measurements.map((m) => ({ ...m, ...(judges[m.id]?.(m, find) ?? none) }));
};
