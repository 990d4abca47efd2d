import type { ActivityMessage, ProducerMessage } from '../../lib/activity/activity-schema.js';
import { toMillis } from '../../lib/activity/iso-date-time.js';
import { mapProducerMessage } from '../../lib/activity/producer-message.js';
import { checkQueuedMessage } from '../../lib/activity/queued-message.js';
import { checkProducerMessage } from '../../lib/activity/validation.js';
import type { FieldError } from '../../lib/errors.js';
import { runSteps, scrubOriginal } from '../../lib/intake/pipeline.js';
import type { IntakeStep } from '../../lib/intake/steps.js';
import { loggableProblems } from '../../lib/observability/loggable-reason.js';
import type { FailedEvent } from '../../lib/ports.js';
import { type RmqEvent, type RmqMessage, rmqTimestampMillis } from '../../lib/rabbitmq/rmq-event.js';

export interface DecodedBatch {
  valid: ActivityMessage[];
  failed: FailedEvent[];
}

/** What persist reads off the queue and the intake's steps (the producer source's) and limits. */
export interface DecodeRules {
  maxBytes: number;
  steps: IntakeStep[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A valid activity, or why the message can never be stored. */
interface Decoded {
  message?: ActivityMessage;
  reason?: string;
  /** The reason without the client's text, for the logs; the same as `reason` when that is all the service's. */
  loggedReason?: string;
  eventId?: string;
  /** The body as JSON, when it is JSON: kept through the steps' personal-data rules rather than as sent. */
  value?: unknown;
}

const eventIdOf = (value: unknown): string | undefined => {
  const eventId = (value as { event_id?: unknown } | null)?.event_id;
  return typeof eventId === 'string' ? eventId.slice(0, 64) : undefined;
};

const SCHEMA_FAILURE = 'message fails the schema: ';

const refused = (value: unknown, errors: FieldError[]): Decoded => {
  const eventId = eventIdOf(value);
  const reasons = {
    reason: `${SCHEMA_FAILURE}${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
    loggedReason: `${SCHEMA_FAILURE}${loggableProblems(errors)}`,
  };
  return eventId === undefined ? reasons : { ...reasons, eventId };
};

/**
 * Another producer's message (the original service's documented schema: no received_at, an event_id only if the
 * producer names its events) goes through the intake's steps like an event from any other source.
 */
const fromProducer = (value: unknown, raw: RmqMessage, bytes: Buffer, readAt: Date, steps: IntakeStep[]): Decoded => {
  const errors = checkProducerMessage(value);
  if (errors.length > 0) return refused(value, errors);
  const origin = {
    messageId: raw.basicProperties.messageId ?? null,
    publishedAt: rmqTimestampMillis(raw.basicProperties.timestamp),
    body: bytes,
  };
  const checked = runSteps(steps, mapProducerMessage(value as ProducerMessage, origin, readAt));
  if ('errors' in checked) return refused(value, checked.errors);
  return { message: 'queued' in checked ? checked.queued.message : checked.suppressed };
};

const hasReceivedAt = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && 'received_at' in value;

const decodeOne = (raw: RmqMessage, bytes: Buffer, rules: DecodeRules, readAt: Date): Decoded => {
  if (bytes.length > rules.maxBytes) {
    return { reason: `message is ${bytes.length} bytes, over the ${rules.maxBytes}-byte limit` };
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { reason: 'message body is not valid UTF-8' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8's message quotes the body, which belongs in failed_events.raw_body, not in the reason (it is logged).
    const position = /at position (\d+)/.exec((error as Error).message)?.[1];
    return { reason: `message body is not JSON${position === undefined ? '' : ` (error at position ${position})`}` };
  }
  // Only the intake stamps received_at: a message with one was published by this service (track, batch, Segment).
  if (!hasReceivedAt(value)) return { ...fromProducer(value, raw, bytes, readAt, rules.steps), value };
  const errors = checkQueuedMessage(value, text, bytes.length, rules.maxBytes);
  return errors.length > 0 ? { ...refused(value, errors), value } : { message: value as ActivityMessage };
};

// Keep what a person needs to understand the failure without letting one message bloat the table.
const RAW_BODY_KEEP = 64 * 1024;

const rawBodyOf = (bytes: Buffer, value: unknown, steps: IntakeStep[]): string => {
  const kept = value === undefined ? undefined : scrubOriginal(steps, value);
  // No step rewrites what is kept (no personal-data rules) or the body is not JSON: the bytes as they came.
  if (kept === value) return bytes.subarray(0, RAW_BODY_KEEP).toString('utf8');
  return (JSON.stringify(kept) ?? 'null').slice(0, RAW_BODY_KEEP);
};

const toFailed = (raw: RmqMessage, bytes: Buffer, decoded: Decoded, steps: IntakeStep[]): FailedEvent => ({
  ...(typeof decoded.value === 'object' && decoded.value !== null ? { identity: decoded.value } : {}),
  messageId: raw.basicProperties.messageId ?? null,
  eventId: decoded.eventId ?? null,
  rawBody: rawBodyOf(bytes, decoded.value, steps),
  reason: decoded.reason ?? 'unknown',
  loggedReason: decoded.loggedReason ?? decoded.reason ?? 'unknown',
});

/** Splits an aws:rmq batch into storable activities and poison messages (which must not block or loop). */
export const decodeMessages = (event: RmqEvent, rules: DecodeRules, readAt = new Date()): DecodedBatch => {
  const batch: DecodedBatch = { valid: [], failed: [] };
  for (const messages of Object.values(event.rmqMessagesByQueue)) {
    for (const raw of messages) {
      const bytes = Buffer.from(raw.data, 'base64');
      const decoded = decodeOne(raw, bytes, rules, readAt);
      if (decoded.message) batch.valid.push(decoded.message);
      else batch.failed.push(toFailed(raw, bytes, decoded, rules.steps));
    }
  }
  return batch;
};

/** The earliest `received_at` of the messages, in epoch ms, or undefined for none. */
export const oldestReceivedAt = (messages: ActivityMessage[]): number | undefined => {
  let oldest: number | undefined;
  for (const message of messages) {
    const millis = toMillis(message.received_at);
    if (oldest === undefined || millis < oldest) oldest = millis;
  }
  return oldest;
};
