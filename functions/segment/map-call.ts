import { createHash } from 'node:crypto';
import { MAX_USER_ID, USER_ID_TEXT_PATTERN } from '../../lib/activity/activity-schema.js';
import { toEventTimes } from '../../lib/activity/event-times.js';
import { nameBasedUuid } from '../../lib/activity/name-based-uuid.js';
import { SEGMENT_EVENT_TYPES, type SegmentCall, segmentCallSchema } from '../../lib/activity/segment-schema.js';
import { compileSchema, toFieldErrors } from '../../lib/activity/validation.js';
import type { FieldError } from '../../lib/errors.js';
import { isMessage, type Mapped, mapOrRefuse } from '../../lib/intake/mapped.js';

/** What every call of one request shares. */
export interface CallSource {
  /** The write key the request presented ('' when it presented none to an open service). */
  writeKey: string;
  /** The batch's `sentAt`, for calls without their own. */
  sentAt?: string;
  /** The batch's `context`, merged under each call's own. */
  context?: Record<string, unknown>;
  now: Date;
}

const validateCall = compileSchema(segmentCallSchema);

// A numeric userId in the native range is also that native user, so both APIs list one user's events together.
const NATIVE_USER_ID = new RegExp(USER_ID_TEXT_PATTERN);
const nativeUserId = (userKey: string | undefined): number => {
  if (userKey === undefined || !NATIVE_USER_ID.test(userKey)) return 0;
  const id = Number(userKey);
  return id <= MAX_USER_ID ? id : 0;
};

const idText = (id: string | number | null | undefined): string | undefined =>
  id === undefined || id === null || id === '' ? undefined : String(id);

// Kept out of metadata: the identities and event name have columns, and the write key is a secret.
const MAPPED_FIELDS = new Set(['writeKey', 'userId', 'anonymousId', 'event']);

const metadataOf = (call: SegmentCall, batchContext: Record<string, unknown> | undefined) => {
  const metadata: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(call)) if (!MAPPED_FIELDS.has(field)) metadata[field] = value;
  if (batchContext !== undefined) metadata.context = { ...batchContext, ...(call.context ?? {}) };
  return metadata;
};

/**
 * The stored event_id: a name-based UUID of the write key and the call's messageId, which SDKs resend unchanged on
 * every retry, so a retried batch stores each call once. A call without a messageId is named by its own bytes.
 */
const eventIdOf = (call: SegmentCall, writeKey: string): string => {
  const name = call.messageId ?? `sha256:${createHash('sha256').update(JSON.stringify(call)).digest('hex')}`;
  return nameBasedUuid(`${writeKey}\n${name}`);
};

const missing = (field: string, message: string): FieldError[] => [{ field, message }];

// What a tracking plan checks of a call (issue 20): the traits of identify and group calls, the properties of others.
const payloadOf = (type: SegmentCall['type']): string =>
  type === 'identify' || type === 'group' ? 'traits' : 'properties';

/** Checks what the schema cannot say: who the call is about, and a track call's name. */
const identityErrors = (call: SegmentCall, userKey: string | undefined, anonymousId: string | undefined) => {
  if (call.type === 'track' && call.event === undefined) return missing('event', 'is required in a track call');
  if (call.type === 'alias') {
    if (userKey === undefined) return missing('userId', 'is required in an alias call');
    if (idText(call.previousId) === undefined) return missing('previousId', 'is required in an alias call');
  }
  if (userKey === undefined && anonymousId === undefined) return missing('userId', 'or anonymousId is required');
  return [];
};

/**
 * Maps one Segment call to the queued message (docs/segment.md, "Mapping"): `event` or `$<type>` as event_type,
 * userId and anonymousId as user_key and anonymous_id (a numeric userId is also user_id), originalTimestamp or
 * timestamp as the client time with sentAt for skew correction, the rest of the call as metadata.
 */
export const mapCall = (raw: unknown, source: CallSource): Mapped => {
  if (!validateCall(raw)) return { errors: toFieldErrors(validateCall.errors, [], '(event)') };
  const call = raw as SegmentCall;
  const userKey = idText(call.userId);
  const anonymousId = idText(call.anonymousId);
  const errors = identityErrors(call, userKey, anonymousId);
  if (errors.length > 0) return { errors };
  const clientTime = call.originalTimestamp ?? call.timestamp;
  const mapped = mapOrRefuse(() => ({
    event_id: eventIdOf(call, source.writeKey),
    user_id: nativeUserId(userKey),
    ...(userKey === undefined ? {} : { user_key: userKey }),
    ...(anonymousId === undefined ? {} : { anonymous_id: anonymousId }),
    event_type: call.type === 'track' ? (call.event as string) : SEGMENT_EVENT_TYPES[call.type],
    ...(clientTime === undefined
      ? { timestamp: source.now.toISOString() }
      : toEventTimes(clientTime, call.sentAt ?? source.sentAt, source.now)),
    metadata: metadataOf(call, source.context),
    received_at: source.now.toISOString(),
  }));
  return isMessage(mapped) ? { ...mapped, payload: payloadOf(call.type) } : mapped;
};
