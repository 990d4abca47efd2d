import { MAX_METADATA_DEPTH } from './activity-schema.js';

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const isScalar = (value: unknown): boolean => {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    default:
      return value === null;
  }
};

/**
 * Whether `value` is metadata the schema admits (activity-schema.ts, `metadataSchema`): an object of JSON values
 * nested at most MAX_METADATA_DEPTH levels (the object itself is the first), no object with a reserved key name.
 * The same rules as the unrolled schema, in one walk with its own stack: it visits each value once, where ajv's code
 * for the unrolled levels costs several times as much on a typical event. Only a `true` is relied on: on `false` the
 * schema itself runs, and its errors are the answer.
 */
export const isPlainMetadata = (value: unknown): boolean => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const stack: Array<[object, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [container, depth] = stack.pop() as [object, number];
    const children = Array.isArray(container) ? container : Object.values(container);
    if (!Array.isArray(container)) {
      for (const key of Object.keys(container)) if (RESERVED_KEYS.has(key)) return false;
    }
    for (const child of children) {
      if (typeof child === 'object' && child !== null) {
        if (depth >= MAX_METADATA_DEPTH) return false;
        stack.push([child, depth + 1]);
      } else if (!isScalar(child)) return false;
    }
  }
  return true;
};
