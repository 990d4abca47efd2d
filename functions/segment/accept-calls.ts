import type { ActivityMessage } from '../../lib/activity/activity-schema.js';
import { SEGMENT_MAX_CALL_BYTES } from '../../lib/activity/segment-schema.js';
import type { FieldError } from '../../lib/errors.js';
import type { FailedEvent } from '../../lib/ports.js';
import type { SegmentRequest } from './segment-request.js';
import { type CallSource, toActivityMessage } from './to-activity-message.js';

/** A request's calls, sorted: the messages to publish and the calls that can never be stored. */
export interface SortedCalls {
  messages: ActivityMessage[];
  unusable: FailedEvent[];
  /** The unusable calls' problems, each field prefixed with the call's place in the batch. */
  problems: FieldError[];
}

const tooLarge = (bytes: number): FieldError[] => [
  { field: '(event)', message: `is ${bytes} bytes, over Segment's limit of ${SEGMENT_MAX_CALL_BYTES} bytes per call` },
];

// The raw call as kept in failed_events, without the write key (a secret).
const withoutWriteKey = (raw: unknown): unknown => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('writeKey' in raw)) return raw;
  const { writeKey: _secret, ...rest } = raw as Record<string, unknown>;
  return rest;
};

const messageIdOf = (raw: unknown): string | null => {
  const id = (raw as { messageId?: unknown } | null)?.messageId;
  return typeof id === 'string' ? id.slice(0, 255) : null;
};

/**
 * Maps every call of a request on its own: one call that cannot be stored (too large, off-schema, no identity, time
 * out of the window) is set aside with its reason, never dropped, and does not stop the others.
 */
export const sortCalls = (request: SegmentRequest, writeKey: string, now: Date): SortedCalls => {
  const source: CallSource = {
    writeKey,
    now,
    ...(request.sentAt === undefined ? {} : { sentAt: request.sentAt }),
    ...(request.context === undefined ? {} : { context: request.context }),
  };
  const sorted: SortedCalls = { messages: [], unusable: [], problems: [] };
  request.calls.forEach((raw, index) => {
    const rawBody = JSON.stringify(withoutWriteKey(raw)) ?? 'null';
    const bytes = Buffer.byteLength(rawBody, 'utf8');
    const mapped = bytes > SEGMENT_MAX_CALL_BYTES ? { errors: tooLarge(bytes) } : toActivityMessage(raw, source);
    if ('message' in mapped) {
      sorted.messages.push(mapped.message);
      return;
    }
    const at = request.batch ? `batch[${index}]` : '';
    const problems = mapped.errors.map(({ field, message }) => ({
      field: at === '' ? field : field === '(event)' ? at : `${at}.${field}`,
      message,
    }));
    sorted.problems.push(...problems);
    sorted.unusable.push({
      messageId: messageIdOf(raw),
      eventId: null,
      rawBody,
      reason: `Segment call ${index} cannot be stored: ${mapped.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
    });
  });
  return sorted;
};
