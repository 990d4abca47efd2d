import { SEGMENT_MAX_CALL_BYTES } from '../../lib/activity/segment-schema.js';
import type { FieldError } from '../../lib/errors.js';
import { isMessage, type Mapped } from '../../lib/intake/mapped.js';
import { type CallSource, mapCall } from './map-call.js';
import type { SegmentRequest } from './segment-request.js';

// The call as kept in failed_events, without the write key (a secret).
const withoutWriteKey = (raw: unknown): unknown => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('writeKey' in raw)) return raw;
  const { writeKey: _secret, ...rest } = raw as Record<string, unknown>;
  return rest;
};

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

// The fields of a call that mapCall keeps out of metadata, besides the write key (which the size leaves out too).
const COLUMN_FIELDS = ['userId', 'anonymousId', 'event'] as const;

/**
 * The call's size as JSON without its write key, from its metadata's JSON: JSON.stringify writes an object as `{`,
 * its members joined by commas, `}`, so the call's size is the metadata's plus the members mapCall took out of it.
 * undefined when the metadata is not the call's own members (a batch context merged into it, or a `__proto__` key,
 * which an assignment does not copy): then only serialising the call says.
 */
const callBytesFrom = (call: Record<string, unknown>, metadataJson: string, merged: boolean): number | undefined => {
  if (merged || Object.hasOwn(call, '__proto__')) return undefined;
  const metadataMembers =
    Object.keys(call).length - COLUMN_FIELDS.filter((f) => f in call).length - ('writeKey' in call ? 1 : 0);
  // The members' own bytes: the metadata's less its braces and the commas between its members.
  let members = utf8Bytes(metadataJson) - 2 - Math.max(metadataMembers - 1, 0);
  let count = metadataMembers;
  for (const field of COLUMN_FIELDS) {
    if (!(field in call)) continue;
    members += utf8Bytes(JSON.stringify(field)) + 1 + utf8Bytes(JSON.stringify(call[field]));
    count += 1;
  }
  return 2 + members + Math.max(count - 1, 0);
};

const tooBig = (bytes: number): FieldError[] => [
  { field: '(event)', message: `is ${bytes} bytes, over Segment's limit of ${SEGMENT_MAX_CALL_BYTES} bytes per call` },
];

/**
 * The Segment source's mapper: each call of a request on its own, so one that cannot be stored (over Segment's 32 KB
 * per call, off-schema, no identity, a time out of range) is set aside with its reason and does not stop the others.
 * A mapped call's metadata is serialised once, for Segment's limit and for the queued message (`metadataJson`). The
 * body's depth was bounded when it was read, so serialising a call cannot overflow the stack.
 */
export const mapCalls = (request: SegmentRequest, writeKey: string, now: Date): Mapped[] => {
  const source: CallSource = {
    writeKey,
    now,
    ...(request.sentAt === undefined ? {} : { sentAt: request.sentAt }),
    ...(request.context === undefined ? {} : { context: request.context }),
  };
  return request.calls.map((raw): Mapped => {
    const original = withoutWriteKey(raw);
    const exactBytes = () => utf8Bytes(JSON.stringify(original) ?? 'null');
    const mapped = mapCall(raw, source);
    if (!isMessage(mapped)) {
      const bytes = exactBytes();
      return bytes > SEGMENT_MAX_CALL_BYTES ? { errors: tooBig(bytes), original } : { ...mapped, original };
    }
    const metadata = mapped.message.metadata ?? {};
    const metadataJson = JSON.stringify(metadata);
    const bytes =
      callBytesFrom(raw as Record<string, unknown>, metadataJson, source.context !== undefined) ?? exactBytes();
    if (bytes > SEGMENT_MAX_CALL_BYTES) return { errors: tooBig(bytes), original };
    return { ...mapped, original, encodedMetadata: { of: metadata, json: metadataJson } };
  });
};
