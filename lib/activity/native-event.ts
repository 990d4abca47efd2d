import { randomUUID } from 'node:crypto';
import { type Mapped, mapOrRefuse } from '../intake/mapped.js';
import { type TrackRequest, trackRequestSchema } from './activity-schema.js';
import { toEventTimes } from './event-times.js';
import { compileSchema, toFieldErrors } from './validation.js';

/**
 * The native API's mapper (track and batch): a schema-valid event becomes the queued message, its id lower-cased (or
 * assigned) and its times normalised to UTC; a time outside what can be stored or the accepted window is its error.
 */
export const mapNativeEvent = (request: TrackRequest, now: Date): Mapped =>
  mapOrRefuse(() => ({
    event_id: (request.event_id ?? randomUUID()).toLowerCase(),
    user_id: request.user_id,
    event_type: request.event_type,
    ...toEventTimes(request.timestamp, request.sent_at, now),
    ...(request.metadata === undefined ? {} : { metadata: request.metadata }),
    received_at: now.toISOString(),
  }));

const validateEvent = compileSchema(trackRequestSchema);

/** One event of a batch, checked on its own (one bad event rejects only itself); the batch's sent_at is its default. */
export const mapBatchEvent = (raw: unknown, batchSentAt: string | undefined, now: Date): Mapped => {
  // ajv keeps the errors of the last call on the function: read them before validating the next event.
  if (!validateEvent(raw)) return { errors: toFieldErrors(validateEvent.errors, [], '(event)') };
  const event = raw as TrackRequest;
  return mapNativeEvent(
    batchSentAt !== undefined && event.sent_at === undefined ? { ...event, sent_at: batchSentAt } : event,
    now,
  );
};
