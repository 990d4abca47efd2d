import { performance } from 'node:perf_hooks';
import type { Measurement } from './types.js';

const started = performance.now();
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

/** One progress line, stamped with the time since the run began. */
export const progress = (message: string): void => console.log(`[${seconds(started).padStart(6)} s] ${message}`);

/** What a run has measured so far, and its failures: a failed stage becomes that stage's figure, not the end. */
export class RunLog {
  readonly measurements: Measurement[] = [];
  readonly errors: string[] = [];

  add(measurement: Measurement): void {
    this.measurements.push(measurement);
  }

  fail(id: string, error: unknown): void {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    this.errors.push(`${id}: ${error instanceof Error ? (error.stack ?? message) : message}`);
    progress(`${id}: FAILED: ${message}`);
    this.add({ id, what: '', value: null, unit: '', figure: `error: ${message}`, details: {} });
  }

  /** Runs one stage between a heading and its duration; on failure records it and returns undefined. */
  async stage<T>(id: string, title: string, measure: () => Promise<T>): Promise<T | undefined> {
    const begun = performance.now();
    progress(`${id}: ${title}`);
    try {
      return await measure();
    } catch (error) {
      this.fail(id, error);
      return undefined;
    } finally {
      progress(`${id}: done in ${seconds(begun)} s`);
    }
  }
}
