import { ValidationError } from '../errors.js';

/**
 * How deep a request body may nest, for bodies whose parts are serialised before a schema bounds their depth (a
 * Segment call is measured as JSON first). The deepest body the schemas allow is 13 levels (a batch, a call, metadata
 * 10 deep); JSON.stringify overflowed the stack on Segment properties nested 15,000 arrays deep: a 500 instead of a
 * 400 (issue 16).
 */
export const MAX_REQUEST_DEPTH = 32;

/** Whether JSON text nests objects and arrays deeper than `maxDepth`: one pass over the text, nothing recursive. */
export const nestsDeeperThan = (text: string, maxDepth: number): boolean => {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i += 1; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (c === 125 || c === 93) depth -= 1;
  }
  return false;
};

/** 400 for a body nested deeper than MAX_REQUEST_DEPTH, before it is parsed. */
export const checkJsonDepth = (text: string): void => {
  if (!nestsDeeperThan(text, MAX_REQUEST_DEPTH)) return;
  throw new ValidationError('Malformed request body', [
    { field: '(body)', message: `must not nest objects or arrays more than ${MAX_REQUEST_DEPTH} levels deep` },
  ]);
};
