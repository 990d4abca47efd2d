import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from './json-depth.js';

describe('the depth of JSON text', () => {
  it.each([
    ['flat', '{"a":1}', 1, false],
    ['two levels in a limit of one', '{"a":[1]}', 1, true],
    ['brackets inside strings', '{"a":"[[[[{{{{"}', 1, false],
    ['an escaped quote inside a string', '{"a":"x\\"[[[["}', 1, false],
    ['an escaped backslash before the closing quote', '{"a":"x\\\\"}', 1, false],
    ['an escaped backslash, then brackets', '{"a":"x\\\\",[[1]]}', 2, true],
    ['a deep array', `${'['.repeat(15_000)}${']'.repeat(15_000)}`, 32, true],
    ['exactly the limit', `${'['.repeat(32)}${']'.repeat(32)}`, 32, false],
  ])('reads %s', (_case, text, limit, deeper) => {
    expect(nestsDeeperThan(text, limit)).toBe(deeper);
  });
});
