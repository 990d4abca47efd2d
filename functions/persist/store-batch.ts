import type { ActivityMessage } from '../../lib/activity/activity-schema.js';
import { isTransientDbError } from '../../lib/db/transient-error.js';
import { UnstorableEventsError } from '../../lib/errors.js';
import type { ActivityStore, Inserted } from '../../lib/ports.js';

/**
 * One multi-row INSERT for the batch. If it fails for a reason other than an outage, one bad event must not take
 * the others down with it: each event is then written on its own (inserts are idempotent), and the batch still
 * fails naming the events that cannot be stored, so they are retried and, past the queue's delivery limit,
 * dead-lettered rather than lost or looping.
 */
export const storeBatch = async (store: ActivityStore, messages: ActivityMessage[]): Promise<Inserted> => {
  try {
    return await store.insertActivities(messages);
  } catch (error) {
    if (isTransientDbError(error) || messages.length === 1) throw error;
    const unstorable: string[] = [];
    let firstCause: unknown;
    let inserted = 0;
    const suppressed: string[] = [];
    for (const message of messages) {
      try {
        const one = await store.insertActivities([message]);
        inserted += one.inserted;
        suppressed.push(...(one.suppressed ?? []));
      } catch (single) {
        if (isTransientDbError(single)) throw single;
        unstorable.push(message.event_id);
        firstCause ??= single;
      }
    }
    if (unstorable.length > 0) throw new UnstorableEventsError(unstorable, { cause: firstCause });
    return suppressed.length === 0 ? { inserted } : { inserted, suppressed };
  }
};
