import type { ActivityMessage } from '../../lib/activity/activity-schema.js';
import { checkActivityMessage } from '../../lib/activity/validation.js';
import type { FailedEvent } from '../../lib/ports.js';
import type { RmqEvent, RmqMessage } from '../../lib/rabbitmq/rmq-event.js';

export interface DecodedBatch {
  valid: ActivityMessage[];
  failed: FailedEvent[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Why a message can never be stored, or undefined when it is a valid activity. */
const decodeOne = (bytes: Buffer, maxBytes: number): { message?: ActivityMessage; reason?: string } => {
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
    return { reason: `message body is not JSON: ${(error as Error).message}` };
  }
  const errors = checkActivityMessage(value);
  if (errors.length > 0) {
    return { reason: `message fails the schema: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}` };
  }
  return { message: value as ActivityMessage };
};

// Keep what a person needs to understand the failure without letting one message bloat the table.
const RAW_BODY_KEEP = 64 * 1024;

const toFailed = (raw: RmqMessage, bytes: Buffer, reason: string): FailedEvent => ({
  messageId: raw.basicProperties.messageId ?? null,
  rawBody: bytes.subarray(0, RAW_BODY_KEEP).toString('utf8'),
  reason,
});

/** Splits an aws:rmq batch into storable activities and poison messages (which must not block or loop). */
export const decodeMessages = (event: RmqEvent, maxBytes: number): DecodedBatch => {
  const batch: DecodedBatch = { valid: [], failed: [] };
  for (const messages of Object.values(event.rmqMessagesByQueue)) {
    for (const raw of messages) {
      const bytes = Buffer.from(raw.data, 'base64');
      const { message, reason } = decodeOne(bytes, maxBytes);
      if (message) batch.valid.push(message);
      else batch.failed.push(toFailed(raw, bytes, reason ?? 'unknown'));
    }
  }
  return batch;
};
