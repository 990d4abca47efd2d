import { progress, stage } from './support/progress.js';
import type { Measurement } from './types.js';

/** What a run has measured so far, and its failures: a failed stage becomes that stage's figure, not the end. */
export class RunLog {
  readonly measurements: Measurement[] = [];
  readonly errors: string[] = [];

  add(measurement: Measurement): void {
    this.measurements.push(measurement);
  }

  fail(id: string, error: unknown): void {
    const message = error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
    this.errors.push(`${id}: ${error instanceof Error ? error.stack ?? message : message}`);
    progress(`${id}: FAILED: ${message}`);
    this.add({ id, what: '', value: null, unit: '', figure: `error: ${message}`, details: {} });
  }

  /** Runs one stage with progress lines around it; on failure records it and returns undefined. */
  async stage<T>(id: string, title: string, measure: () => Promise<T>): Promise<T | undefined> {
    const done = stage(id, title);
    try {
      return await measure();
    } catch (error) {
      this.fail(id, error);
      return undefined;
    } finally {
      done();
    }
  }
}
