import { keyedHash } from './personal-data.js';

/** Whose events a regulation names, in Segment's vocabulary. */
export const SUBJECT_TYPES = ['USER_ID', 'ANONYMOUS_ID'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

/**
 * The keyed hash a subject is kept as (issue 19): HMAC-SHA-256 under PRIVACY_HASH_KEY of its type and id, exactly as
 * sent (no trimming, no case folding: `"victim "` is not `victim`). A USER_ID is the text of a Segment `userId` and
 * the decimal text of a native `user_id`, so one regulation reaches both APIs' events of that user.
 */
export const subjectHash = (secret: string, type: SubjectType, id: string): string =>
  keyedHash(secret, `${type}\n${id}`);

/** The keyed hashes a stored row or failed event carries, so a deletion can find it (issue 19). */
export interface SubjectHashes {
  user: string | null;
  anonymous: string | null;
}

/** An event's USER_ID hash (its user_key, else a native user_id of 1 or more) and ANONYMOUS_ID hash. */
export const subjectHashesOf = (
  secret: string,
  event: { user_id?: unknown; user_key?: unknown; anonymous_id?: unknown },
): SubjectHashes => {
  const userKey = typeof event.user_key === 'string' && event.user_key !== '' ? event.user_key : undefined;
  const userId =
    typeof event.user_id === 'number' && Number.isSafeInteger(event.user_id) && event.user_id > 0
      ? String(event.user_id)
      : undefined;
  const user = userKey ?? userId;
  const anonymous =
    typeof event.anonymous_id === 'string' && event.anonymous_id !== '' ? event.anonymous_id : undefined;
  return {
    user: user === undefined ? null : subjectHash(secret, 'USER_ID', user),
    anonymous: anonymous === undefined ? null : subjectHash(secret, 'ANONYMOUS_ID', anonymous),
  };
};

/**
 * Every hash an event matches (eventSubjectHashes), from its stored hashes (subjectHashesOf) so that persist hashes
 * each event once: its user's (user_key, else user_id), its user_id's when user_key is another text, its anonymous_id's.
 */
export const matchingHashes = (
  secret: string,
  event: { user_id: number; user_key?: string },
  own: SubjectHashes,
): string[] => {
  const hashes: string[] = [];
  if (own.user !== null) hashes.push(own.user);
  if (event.user_id > 0 && event.user_key !== undefined && event.user_key !== String(event.user_id)) {
    hashes.push(subjectHash(secret, 'USER_ID', String(event.user_id)));
  }
  if (own.anonymous !== null) hashes.push(own.anonymous);
  return hashes;
};

/** The subject hashes an event answers to: its user's (user_key, else a native user_id of 1 or more) and its anonymous id. */
export const eventSubjectHashes = (
  secret: string,
  event: { user_id: number; user_key?: string; anonymous_id?: string },
): string[] => matchingHashes(secret, event, subjectHashesOf(secret, event));
