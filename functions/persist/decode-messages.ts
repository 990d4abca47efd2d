import type { ActivityMessage, ProducerMessage } from '../../lib/activity/activity-schema.js';
import { toMillis } from '../../lib/activity/iso-date-time.js';
import { fromProducerMessage } from '../../lib/activity/producer-message.js';
import { checkActivityMessage, checkProducerMessage } from '../../lib/activity/validation.js';
import { type FieldError, ValidationError } from '../../lib/errors.js';
import type { FailedEvent } from '../../lib/ports.js';
import { type RmqEvent, type RmqMessage, rmqTimestampMillis } from '../../lib/rabbitmq/rmq-event.js';

export interface DecodedBatch {
  valid: ActivityMessage[];
  failed: FailedEvent[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Why a message can never be stored, or undefined when it is a valid activity. */
interface Decoded {
  message?: ActivityMessage;
  reason?: string;
  eventId?: string;
}

const eventIdOf = (value: unknown): string | undefined => {
  const eventId = (value as { event_id?: unknown } | null)?.event_id;
  return typeof eventId === 'string' ? eventId.slice(0, 64) : undefined;
};

const schemaFailure = (errors: FieldError[]): string =>
  `message fails the schema: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`;

/**
 * A message without event_id and received_at is taken for another producer's (the original service's documented
 * schema) and completed as track would have; anything else must be a message track queued.
 */
const toActivity = (value: unknown, raw: RmqMessage, bytes: Buffer, readAt: Date): Decoded => {
  const fields = value as { event_id?: unknown; received_at?: unknown } | null;
  const fromProducer =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    fields?.event_id === undefined &&
    fields?.received_at === undefined;
  const errors = fromProducer ? checkProducerMessage(value) : checkActivityMessage(value);
  if (errors.length > 0) {
    const eventId = eventIdOf(value);
    return eventId === undefined ? { reason: schemaFailure(errors) } : { reason: schemaFailure(errors), eventId };
  }
  if (!fromProducer) return { message: value as ActivityMessage };
  const origin = {
    messageId: raw.basicProperties.messageId ?? null,
    publishedAt: rmqTimestampMillis(raw.basicProperties.timestamp),
    body: bytes,
  };
  try {
    return { message: fromProducerMessage(value as ProducerMessage, origin, readAt) };
  } catch (error) {
    if (error instanceof ValidationError) return { reason: schemaFailure(error.details) };
    throw error;
  }
};

const decodeOne = (raw: RmqMessage, bytes: Buffer, maxBytes: number, readAt: Date): Decoded => {
  if (bytes.length > maxBytes) return { reason: `message is ${bytes.length} bytes, over the ${maxBytes}-byte limit` };
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
  return toActivity(value, raw, bytes, readAt);
};

// Keep what a person needs to understand the failure without letting one message bloat the table.
const RAW_BODY_KEEP = 64 * 1024;

const toFailed = (raw: RmqMessage, bytes: Buffer, { reason = 'unknown', eventId }: Decoded): FailedEvent => ({
  messageId: raw.basicProperties.messageId ?? null,
  eventId: eventId ?? null,
  rawBody: bytes.subarray(0, RAW_BODY_KEEP).toString('utf8'),
  reason,
});

/** Splits an aws:rmq batch into storable activities and poison messages (which must not block or loop). */
export const decodeMessages = (event: RmqEvent, maxBytes: number, readAt = new Date()): DecodedBatch => {
  const batch: DecodedBatch = { valid: [], failed: [] };
  for (const messages of Object.values(event.rmqMessagesByQueue)) {
    for (const raw of messages) {
      const bytes = Buffer.from(raw.data, 'base64');
      const decoded = decodeOne(raw, bytes, maxBytes, readAt);
      if (decoded.message) batch.valid.push(decoded.message);
      else batch.failed.push(toFailed(raw, bytes, decoded));
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
