import type { ActivityMessage } from '../activity/activity-schema.js';
import { type FieldError, ValidationError } from '../errors.js';

/**
 * The contract of every source's mapper (a native event, a Segment call, another producer's queued message): one
 * item in, the activity message it becomes or why it cannot, out. Errors name fields of the item itself; the
 * intake and the source's answer say which item it was. `original` is the item as sent, minus secrets, kept in
 * failed_events when the source keeps its rejections.
 */
export type Mapped = MappedMessage | { errors: FieldError[]; original?: unknown };

/**
 * An item its mapper could turn into a message. `payload` names the metadata field a tracking plan checks (a
 * Segment call's `properties` or `traits`); absent, the plan checks the whole metadata.
 */
export interface MappedMessage {
  message: ActivityMessage;
  original?: unknown;
  payload?: string;
  /** The message's metadata as JSON, when the mapper serialised it already (see EncodedMetadata). */
  encodedMetadata?: EncodedMetadata;
}

/**
 * A metadata object and its JSON, so that it is serialised once per event: the storable step uses `json` only while
 * the message's metadata is still `of` (a step that replaces the metadata makes it serialise the message whole).
 */
export interface EncodedMetadata {
  of: unknown;
  json: string;
}

export const isMessage = (item: Mapped): item is MappedMessage => 'message' in item;

/**
 * A mapper's result from code that throws a ValidationError for what it refuses (the time checks do): the message,
 * or that error's details as the item's errors. Any other error is not the item's fault and is thrown on.
 */
export const mapOrRefuse = (build: () => ActivityMessage): Mapped => {
  try {
    return { message: build() };
  } catch (error) {
    if (error instanceof ValidationError) return { errors: error.details };
    throw error;
  }
};
