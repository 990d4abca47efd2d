import type { RegExpEngine } from 'ajv/dist/types/index.js';
import { RE2JS } from 're2js';

// JSON Schema patterns are ECMA-262 text, where \uXXXX names a character; RE2 writes it \x{XXXX}. A `\u` behind an
// odd number of backslashes is such an escape (behind an even number, the backslash itself is escaped).
const UNICODE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u([0-9A-Fa-f]{4})/g;

/**
 * The engine a tracking plan's `pattern` keywords run on (ajv's `code.regExp`): RE2JS, a JavaScript port of RE2,
 * which matches in time linear in the input whatever the pattern. A pattern that backtracks catastrophically on
 * V8's engine (`^(a+)+$` against "aaaa…!") therefore cannot stall the intake (issue 20). What RE2 has no linear
 * algorithm for (backreferences, lookaround) does not compile: the plan is refused at load, naming the pattern.
 */
export const linearPatterns: RegExpEngine = Object.assign(
  (pattern: string) => {
    const compiled = RE2JS.compile(pattern.replace(UNICODE_ESCAPE, '$1\\x{$2}'));
    // ajv keys its cache of compiled patterns by toString(): "[object Object]" would make every pattern the first.
    return { test: (text: string) => compiled.test(text), toString: () => `/${pattern}/re2` };
  },
  { code: 'linearPatterns' },
);
