import { toActivityMessage } from '../../lib/accept-event.js';
import { trackRequestSchema, type BatchRequest, type TrackRequest } from '../../lib/activity-schema.js';
import { PublishError, ValidationError, type FieldError } from '../../lib/errors.js';
import type { EventPublisher } from '../../lib/ports.js';
import { compileSchema, toFieldErrors } from '../../lib/validation.js';

export type ItemResult =
  | { index: number; event_id: string; status: 'accepted' }
  | { index: number; status: 'rejected'; errors: FieldError[] }
  | { index: number; event_id: string; status: 'failed'; retryable: true; errors: FieldError[] };

export interface BatchOutcome {
  accepted: number;
  rejected: number;
  failed: number;
  results: ItemResult[];
}

const validateEvent = compileSchema(trackRequestSchema);

const acceptOne = async (raw: unknown, index: number, batch: BatchRequest, publisher: EventPublisher, now: Date): Promise<ItemResult> => {
  // ajv keeps the errors of the last call on the function: read them before anything awaits.
  if (!validateEvent(raw)) return { index, status: 'rejected', errors: toFieldErrors(validateEvent.errors, [], '(event)') };
  const event = raw as TrackRequest;
  let message;
  try {
    message = toActivityMessage(batch.sent_at !== undefined && event.sent_at === undefined ? { ...event, sent_at: batch.sent_at } : event, now);
  } catch (error) {
    if (error instanceof ValidationError) return { index, status: 'rejected', errors: error.details };
    throw error;
  }
  try {
    await publisher.publish(message);
    return { index, event_id: message.event_id, status: 'accepted' };
  } catch (error) {
    if (!(error instanceof PublishError)) throw error;
    return { index, event_id: message.event_id, status: 'failed', retryable: true, errors: [{ field: '(event)', message: error.message }] };
  }
};

/**
 * Validates each event on its own and publishes the valid ones concurrently (one message each, sharing the
 * channel's confirm window). Results keep request order. A failed publish fails only its own item.
 */
export const acceptBatch = async (batch: BatchRequest, publisher: EventPublisher, now = new Date()): Promise<BatchOutcome> => {
  const results = await Promise.all(batch.events.map((raw, index) => acceptOne(raw, index, batch, publisher, now)));
  const count = (status: ItemResult['status']) => results.filter((r) => r.status === status).length;
  return { accepted: count('accepted'), rejected: count('rejected'), failed: count('failed'), results };
};
