import { randomUUID } from 'node:crypto';
import type { RegulationStore } from '../ports.js';
import { subjectHash } from '../privacy/subject-hash.js';
import type { CreateRegulationRequest, Regulation } from './regulation-schema.js';

export interface RegulateDependencies {
  store: RegulationStore;
  /** PRIVACY_HASH_KEY: the subjects are kept as keyed hashes only. */
  secret: string;
  now?: () => Date;
}

/**
 * Records a regulation from T = now: the subjects hashed (each once; the ids themselves are kept nowhere), a
 * suppression in force as soon as this resolves, a deletion left to the deletion runner.
 */
export const regulate = async (
  { store, secret, now = () => new Date() }: RegulateDependencies,
  { regulationType, subjectType, subjectIds }: CreateRegulationRequest,
  requestedBy: string,
): Promise<Regulation> =>
  store.createRegulation({
    id: randomUUID(),
    regulationType,
    subjectType,
    subjectHashes: [...new Set(subjectIds)].map((id) => subjectHash(secret, subjectType, id)),
    requestedBy,
    createdAt: now(),
    clock: now,
  });
