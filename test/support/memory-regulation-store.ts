import type { NewRegulation, RegulationStore } from '../../lib/ports.js';
import { deletes, type Regulation } from '../../lib/regulations/regulation-schema.js';

/** Regulations kept in an array (newest last), as the Drizzle store keeps them in its tables. */
export const memoryRegulationStore = () => {
  const created: NewRegulation[] = [];
  const toRegulation = (r: NewRegulation): Regulation => ({
    id: r.id,
    regulationType: r.regulationType,
    subjectType: r.subjectType,
    overallStatus: deletes(r.regulationType) ? 'INITIALIZED' : 'FINISHED',
    createdAt: r.createdAt.toISOString(),
    finishedAt: deletes(r.regulationType) ? null : r.createdAt.toISOString(),
    deleted: { events: 0, failedEvents: 0, deadLetters: 0 },
  });
  const store: RegulationStore = {
    async createRegulation(regulation) {
      created.push(regulation);
      return toRegulation(regulation);
    },
    async findRegulation(id) {
      const found = created.find((r) => r.id === id);
      return found && toRegulation(found);
    },
    async listRegulations({ limit, before }) {
      const seqs = created.map((_, i) => i + 1).filter((seq) => before === undefined || seq < before);
      const page = seqs.reverse().slice(0, limit);
      const last = page.at(-1);
      return {
        data: page.map((seq) => toRegulation(created[seq - 1] as NewRegulation)),
        ...(seqs.length > limit && last !== undefined ? { next: last } : {}),
      };
    },
  };
  return { store, created };
};
