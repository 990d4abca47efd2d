import { randomUUID } from 'node:crypto';
import type { RegulationStore } from '../../lib/ports.js';
import { type SubjectType, subjectHash } from '../../lib/privacy/subject-hash.js';
import type { RegulationType } from '../../lib/regulations/regulation-schema.js';

/**
 * Records a regulation of one subject straight in the store (as `POST /api/v1/regulations` would, hashed under
 * `secret`), created at `createdAt` (its T), so a test can place events before and after it.
 */
export const regulateSubject = (
  regulations: Pick<RegulationStore, 'createRegulation'>,
  secret: string,
  regulation: { regulationType: RegulationType; subjectType?: SubjectType; id: string; createdAt: number },
) => {
  const subjectType = regulation.subjectType ?? 'USER_ID';
  return regulations.createRegulation({
    id: randomUUID(),
    regulationType: regulation.regulationType,
    subjectType,
    subjectHashes: [subjectHash(secret, subjectType, regulation.id)],
    requestedBy: 'open',
    createdAt: new Date(regulation.createdAt),
  });
};
