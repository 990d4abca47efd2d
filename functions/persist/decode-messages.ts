import type { ActivityMessage } from '../../lib/activity/activity-schema.js';
import { toMillis } from '../../lib/activity/iso-date-time.js';
import { checkActivityMessage } from '../../lib/activity/validation.js';
import type { FailedEvent } from '../../lib/ports.js';
import type { RmqEvent, RmqMessage } from '../../lib/rabbitmq/rmq-event.js';

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

const decodeOne = (bytes: Buffer, maxBytes: number): Decoded => {
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
  const errors = checkActivityMessage(value);
  if (errors.length > 0) {
    const reason = `message fails the schema: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`;
    const eventId = eventIdOf(value);
    return eventId === undefined ? { reason } : { reason, eventId };
  }
  return { message: value as ActivityMessage };
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
export const decodeMessages = (event: RmqEvent, maxBytes: number): DecodedBatch => {
  const batch: DecodedBatch = { valid: [], failed: [] };
  for (const messages of Object.values(event.rmqMessagesByQueue)) {
    for (const raw of messages) {
      const bytes = Buffer.from(raw.data, 'base64');
      const decoded = decodeOne(bytes, maxBytes);
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
