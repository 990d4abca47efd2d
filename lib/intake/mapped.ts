import type { ActivityMessage } from '../activity/activity-schema.js';
import type { FieldError } from '../errors.js';

/**
 * The contract of every source's mapper (a native event, a Segment call, another producer's queued message): one
 * item in, the activity message it becomes or why it cannot, out. Errors name fields of the item itself; the
 * intake and the source's answer say which item it was. `original` is the item as sent, minus secrets, kept in
 * failed_events when the source keeps its rejections.
 */
export type Mapped = { message: ActivityMessage; original?: unknown } | { errors: FieldError[]; original?: unknown };

export const isMessage = (item: Mapped): item is { message: ActivityMessage; original?: unknown } => 'message' in item;
