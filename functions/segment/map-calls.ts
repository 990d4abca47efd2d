import { SEGMENT_MAX_CALL_BYTES } from '../../lib/activity/segment-schema.js';
import type { Mapped } from '../../lib/intake/mapped.js';
import { type CallSource, mapCall } from './map-call.js';
import type { SegmentRequest } from './segment-request.js';

// The call as kept in failed_events, without the write key (a secret).
const withoutWriteKey = (raw: unknown): unknown => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('writeKey' in raw)) return raw;
  const { writeKey: _secret, ...rest } = raw as Record<string, unknown>;
  return rest;
};

/**
 * The Segment source's mapper: each call of a request on its own, so one that cannot be stored (over Segment's 32 KB
 * per call, off-schema, no identity, a time out of range) is set aside with its reason and does not stop the others.
 * The body's depth was bounded when it was read, so serialising a call cannot overflow the stack.
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
    const bytes = Buffer.byteLength(JSON.stringify(original) ?? 'null', 'utf8');
    if (bytes > SEGMENT_MAX_CALL_BYTES) {
      const message = `is ${bytes} bytes, over Segment's limit of ${SEGMENT_MAX_CALL_BYTES} bytes per call`;
      return { errors: [{ field: '(event)', message }], original };
    }
    return { ...mapCall(raw, source), original };
  });
};
