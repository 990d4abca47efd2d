import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// What `serverless offline start` needs is the service (serverless.yml, functions, lib, …) and node_modules.
const LEFT_OUT = new Set(['node_modules', '.git', '.esbuild', '.serverless', 'bench', 'test', 'coverage', '.env']);

export interface Snapshot {
  /** The copy's root: the service's serverless.yml is here. */
  dir: string;
  remove(): void;
}

/**
 * A copy of the working tree for the run, outside it, with `extra` folders of what is otherwise left out (B0's
 * service). serverless-esbuild watches every .ts/.js file under the service folder and, on any change, rebuilds all
 * bundles and makes serverless offline reload every handler (with worker threads, in-flight requests then hang until
 * the Lambda timeout). Running from a copy keeps edits made during the run from restarting the service being
 * measured, and the figures from mixing two code versions.
 */
export const snapshotWorkingTree = (extra: string[], root = resolve('.')): Snapshot => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-service-'));
  for (const entry of readdirSync(root)) {
    if (!LEFT_OUT.has(entry)) cpSync(join(root, entry), join(dir, entry), { recursive: true });
  }
  for (const folder of extra) {
    cpSync(join(root, folder), join(dir, folder), {
      recursive: true,
      filter: (source) => !source.includes('.esbuild'),
    });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return {
    dir,
    remove() {
      // Unlink first so nothing can ever recurse into the real node_modules.
      unlinkSync(join(dir, 'node_modules'));
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
