import { createHmac } from 'node:crypto';
import { truncateIp } from './ip-address.js';

/** What becomes of the values of keys named `ip` (issue 19): kept as sent, truncated to a network, or removed. */
export const IP_RULES = ['keep', 'truncate', 'drop'] as const;
export type IpRule = (typeof IP_RULES)[number];

/** The personal-data rules of the deployment (lib/config.ts: PII_IP, PII_REDACT_KEYS, PII_HASH_KEYS). */
export interface PersonalDataRules {
  ip: IpRule;
  /** Key names, lower-cased, whose values become REDACTED at any depth. */
  redactKeys: string[];
  /** Key names, lower-cased, whose values become their keyed hash at any depth. */
  hashKeys: string[];
  /** PRIVACY_HASH_KEY: the HMAC secret; parseConfig requires it once hashKeys is not empty. */
  hashKey: string;
}

export const REDACTED = '[redacted]';

/** The hex HMAC-SHA-256 of a text under the deployment's secret: the same text always gives the same hash. */
export const keyedHash = (secret: string, text: string): string =>
  createHmac('sha256', secret).update(text).digest('hex');

type Rule = { kind: 'redact' } | { kind: 'hash' } | { kind: 'ip'; ip: Exclude<IpRule, 'keep'> };

/** What a key's value must become; redaction wins over hashing, and both over the IP rule, as the strictest. */
const ruleFor = (rules: PersonalDataRules, key: string): Rule | undefined => {
  const name = key.toLowerCase();
  if (rules.redactKeys.includes(name)) return { kind: 'redact' };
  if (rules.hashKeys.includes(name)) return { kind: 'hash' };
  if (name === 'ip' && rules.ip !== 'keep') return { kind: 'ip', ip: rules.ip };
  return undefined;
};

const DROP = Symbol('drop');

const applyRule = (rule: Rule, value: unknown, secret: string): unknown => {
  // null says nothing of anyone; keeping it keeps "the client sent no value" readable.
  if (value === null) return null;
  if (rule.kind === 'redact') return REDACTED;
  if (rule.kind === 'hash') return keyedHash(secret, typeof value === 'string' ? value : JSON.stringify(value));
  if (rule.ip === 'drop') return DROP;
  // A value that is not an address text cannot be truncated, and kept as it is it could be anything: removed.
  return (typeof value === 'string' && truncateIp(value)) || DROP;
};

/**
 * The transform of a JSON value under the rules: every key matched at any depth has its value replaced or removed;
 * the rest is copied as it is. Recursive: what it reads is bounded in depth (a request body by MAX_REQUEST_DEPTH,
 * metadata by its schema).
 */
const scrub = (rules: PersonalDataRules, value: unknown): unknown => {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => scrub(rules, item));
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const rule = ruleFor(rules, key);
    const next = rule === undefined ? scrub(rules, child) : applyRule(rule, child, rules.hashKey);
    if (next !== DROP) copy[key] = next;
  }
  return copy;
};

/** Whether the rules change anything at all (the default, `PII_IP=keep` and no keys, changes nothing). */
export const changesAnything = (rules: PersonalDataRules): boolean =>
  rules.ip !== 'keep' || rules.redactKeys.length > 0 || rules.hashKeys.length > 0;

/** The rules as a function over any JSON value (an event's metadata, a rejected call as sent). */
export const scrubPersonalData =
  (rules: PersonalDataRules) =>
  <T>(value: T): T =>
    scrub(rules, value) as T;
