import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Keeps the `keep` newest files of a folder whose names sort by time (timestamp-prefixed), removes the rest. */
export const pruneOldFiles = (folder: string, keep: number): void => {
  let names: string[];
  try {
    names = readdirSync(folder).sort();
  } catch {
    return;
  }
  for (const name of names.slice(0, Math.max(0, names.length - keep))) rmSync(join(folder, name), { force: true });
};
