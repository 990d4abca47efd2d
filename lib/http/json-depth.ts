import { ValidationError } from '../errors.js';

/**
 * How deep a request body may nest, for bodies whose parts are serialised before a schema bounds their depth (a
 * Segment call is measured as JSON first). The deepest body the schemas allow is 13 levels (a batch, a call, metadata
 * 10 deep); JSON.stringify overflowed the stack on Segment properties nested 15,000 arrays deep: a 500 instead of a
 * 400 (issue 16).
 */
export const MAX_REQUEST_DEPTH = 32;

/**
 * Whether a parsed JSON value nests objects and arrays deeper than `maxDepth`. JSON.parse itself does not recurse (V8
 * parses any depth), and this walk keeps its own stack, so nothing here can overflow; it visits containers only, so
 * it costs per value, not per byte of text.
 */
export const nestsDeeperThan = (value: unknown, maxDepth: number): boolean => {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current !== 'object' || current === null) continue;
    if (depth > maxDepth) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
};

/** 400 for a parsed body nested deeper than MAX_REQUEST_DEPTH, before anything that recurses reads it. */
export const checkJsonDepth = (value: unknown): void => {
  if (!nestsDeeperThan(value, MAX_REQUEST_DEPTH)) return;
  throw new ValidationError('Malformed request body', [
    { field: '(body)', message: `must not nest objects or arrays more than ${MAX_REQUEST_DEPTH} levels deep` },
  ]);
};
