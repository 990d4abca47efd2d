import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Env, LOCAL_ONLY_VARIABLES, parseConfig } from './config.js';

/** The variables parseConfig reads, found by letting it read an environment that records every name asked for. */
const variablesRead = (): string[] => {
  const names = new Set<string>();
  const recording = new Proxy({} as Env, {
    get: (_target, name) => {
      if (typeof name === 'string') names.add(name);
      return undefined;
    },
  });
  parseConfig(recording);
  return [...names].sort();
};

const forwarded = (): string[] => {
  const serverless = parse(readFileSync('serverless.yml', 'utf8')) as { provider: { environment: object } };
  return Object.keys(serverless.provider.environment);
};

// `NAME=value` or, for a setting shown commented out, `# NAME=value`.
const documented = (): string[] =>
  [...readFileSync('.env.example', 'utf8').matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1] ?? '');

describe('every setting is wired', () => {
  const read = variablesRead();

  it('finds the variables the config parser reads', () => {
    expect(read).toEqual(expect.arrayContaining(['API_KEYS', 'DATABASE_URL', 'RABBITMQ_URL', 'MAX_BODY_BYTES']));
  });

  it('forwards each variable to the functions in serverless.yml, or says why it is local-only', () => {
    const missing = read.filter((name) => !forwarded().includes(name) && !(name in LOCAL_ONLY_VARIABLES));
    expect(missing).toEqual([]);
  });

  it('does not forward a variable it calls local-only', () => {
    expect(Object.keys(LOCAL_ONLY_VARIABLES).filter((name) => forwarded().includes(name))).toEqual([]);
  });

  it('documents each variable a user sets in .env.example', () => {
    const userSettings = read.filter((name) => !LOCAL_ONLY_VARIABLES[name]?.setByTooling);
    expect(userSettings.filter((name) => !documented().includes(name))).toEqual([]);
  });
});
