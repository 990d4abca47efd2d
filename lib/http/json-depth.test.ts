import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from './json-depth.js';

describe('the depth of a parsed JSON value', () => {
  it.each([
    ['a scalar', '1', 0, false],
    ['flat', '{"a":1}', 1, false],
    ['two levels in a limit of one', '{"a":[1]}', 1, true],
    ['brackets inside strings', '{"a":"[[[[{{{{"}', 1, false],
    ['a deep array, 15,000 levels', `${'['.repeat(15_000)}${']'.repeat(15_000)}`, 32, true],
    ['exactly the limit', `${'['.repeat(32)}${']'.repeat(32)}`, 32, false],
    ['one past the limit, deep in a wide object', `{"a":1,"b":[{"c":${'['.repeat(31)}${']'.repeat(31)}}]}`, 32, true],
  ])('reads %s', (_case, text, limit, deeper) => {
    expect(nestsDeeperThan(JSON.parse(text), limit)).toBe(deeper);
  });
});
