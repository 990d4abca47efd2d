import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';

/** Where the local build goes, inside the service folder (so that its imports of packages find node_modules). */
export const LOCAL_BUILD_DIR = '.offline-build';

/**
 * The service's own code (functions/ and lib/), compiled once for every function: each handler is an entry, the code
 * they share goes into shared chunks, and packages stay imports of node_modules. Node then loads each module, ours
 * and the drivers, once for all functions, and a stack trace maps through a source map of our code only. Takes a
 * few hundred milliseconds. Resolves with the build folder.
 */
export const buildLocally = async (servicePath: string, handlerFiles: string[]): Promise<string> => {
  // Node's own require: loaded through tsx's (which loads this plugin), esbuild cannot find its binary.
  const { build } = createRequire(join(servicePath, 'package.json'))('esbuild') as typeof import('esbuild');
  const outdir = join(servicePath, LOCAL_BUILD_DIR);
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: [...new Set(handlerFiles)].map((file) => join(servicePath, `${file}.ts`)),
    outdir,
    outbase: servicePath,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external',
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
  });
  // serverless offline looks for the nearest package.json to tell ES modules from CommonJS, walking up from the
  // handler's folder on every invocation: one beside each handler ends the walk at once.
  for (const file of handlerFiles) {
    const folder = dirname(join(outdir, file));
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'package.json'), '{ "type": "module" }\n');
  }
  return outdir;
};
