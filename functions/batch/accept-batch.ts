import { toActivityMessage } from '../../lib/activity/accept-event.js';
import {
  type ActivityMessage,
  type BatchRequest,
  type TrackRequest,
  trackRequestSchema,
} from '../../lib/activity/activity-schema.js';
import { compileSchema, toFieldErrors } from '../../lib/activity/validation.js';
import { type FieldError, ValidationError } from '../../lib/errors.js';
import { noteAccepted, notePublishFailed } from '../../lib/observability/pipeline-log.js';
import type { EventPublisher } from '../../lib/ports.js';

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

/** The queued message for a valid event, or why the event is rejected. */
const toMessage = (raw: unknown, batch: BatchRequest, now: Date): ActivityMessage | FieldError[] => {
  // ajv keeps the errors of the last call on the function: read them before validating the next event.
  if (!validateEvent(raw)) return toFieldErrors(validateEvent.errors, [], '(event)');
  const event = raw as TrackRequest;
  try {
    return toActivityMessage(
      batch.sent_at !== undefined && event.sent_at === undefined ? { ...event, sent_at: batch.sent_at } : event,
      now,
    );
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
};

/**
 * Validates each event on its own and publishes the valid ones together (one message each, sharing the channel's
 * confirm window and one timeout). Results keep request order. A failed publish fails only its own item.
 */
export const acceptBatch = async (
  batch: BatchRequest,
  publisher: EventPublisher,
  now = new Date(),
): Promise<BatchOutcome> => {
  const checked = batch.events.map((raw) => toMessage(raw, batch, now));
  const messages = checked.filter((item): item is ActivityMessage => !Array.isArray(item));
  const outcomes = await publisher.publishAll(messages);
  // An outcome missing would read as "accepted": never answer 202 for an event nobody vouched for.
  if (outcomes.length !== messages.length)
    throw new Error(`publishAll answered ${outcomes.length} outcomes for ${messages.length} events`);
  let published = 0;
  const results = checked.map((item, index): ItemResult => {
    if (Array.isArray(item)) return { index, status: 'rejected', errors: item };
    const failure = outcomes[published++];
    return failure
      ? {
          index,
          event_id: item.event_id,
          status: 'failed',
          retryable: true,
          errors: [{ field: '(event)', message: failure.message }],
        }
      : { index, event_id: item.event_id, status: 'accepted' };
  });
  const count = (status: ItemResult['status']) => results.filter((r) => r.status === status).length;
  return { accepted: count('accepted'), rejected: count('rejected'), failed: count('failed'), results };
};

/** Logs what the broker did not confirm (one line for the request) and, at DEBUG, each accepted event. */
export const noteOutcome = ({ results }: BatchOutcome): void => {
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length > 0)
    notePublishFailed(
      failed.map((r) => r.event_id),
      failed[0]?.errors[0]?.message,
    );
  noteAccepted(results.flatMap((r) => (r.status === 'accepted' ? [r.event_id] : [])));
};
