import { activityMessageSchema, batchRequestSchema, producerMessageSchema } from '../activity/activity-schema.js';
import { segmentBatchSchema, segmentCallSchema } from '../activity/segment-schema.js';
import type { FieldError } from '../errors.js';

/**
 * The field names the service's own schemas define, and the names it gives a whole item. The first part of a field
 * path that is one of these is the service's vocabulary; anything else (a metadata key, a Segment call's extra
 * field) is the client's text, which may be personal data (an e-mail address used as a key): never logged.
 */
const OWN_FIELDS = new Set([
  ...Object.keys(activityMessageSchema.properties),
  ...Object.keys(producerMessageSchema.properties),
  ...Object.keys(batchRequestSchema.properties),
  ...Object.keys(segmentCallSchema.properties),
  ...Object.keys(segmentBatchSchema.properties),
  '(event)',
  '(body)',
]);

/** A field path as the logs give it: its own first part and how deep the rest goes, e.g. `metadata (3 levels in)`. */
export const loggableField = (field: string): string => {
  const [first = '', ...rest] = field.split('.');
  const own = OWN_FIELDS.has(first) ? first : '(a field of the client)';
  if (rest.length === 0) return own;
  return `${own} (${rest.length} level${rest.length === 1 ? '' : 's'} in)`;
};

/**
 * Why an item cannot be stored, by rule and position (issue 19): each problem's message, which is the service's own
 * text, after its field as loggableField gives it. failed_events keeps the full paths beside the item itself.
 */
export const loggableProblems = (errors: FieldError[]): string =>
  errors.map(({ field, message }) => `${loggableField(field)} ${message}`).join('; ');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An id as the logs may name it: the service's own ids are UUIDs (event ids, and the message ids track publishes);
 * any other text was chosen by a client or another producer and may be a person's (an order number, an e-mail): null.
 */
export const loggableId = (id: string | null | undefined): string | null =>
  typeof id === 'string' && UUID.test(id) ? id : null;
