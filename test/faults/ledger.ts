import type { Sent } from '../../tools/load/steady-load.js';

export interface Ledger {
  sent: number;
  accepted: number;
  refused: number;
  storedOnce: number;
  lost: number;
  duplicated: number;
  storedWithout202: number;
  deadLettered: number;
}

/**
 * Classifies every event id the way Jepsen's and Kafka's produce-consume-validate checks do: what the client was
 * told against what is in the table (and, for events that may not be stored, in the dead-letter queue).
 */
export const classify = (
  sent: Sent[],
  rowCounts: Map<string, number>,
  deadLettered: Set<string> = new Set(),
): Ledger => {
  // An id sent several times counts once, as accepted if any answer was 202.
  const answers = new Map<string, boolean>();
  for (const { eventId, status } of sent) answers.set(eventId, answers.get(eventId) === true || status === 202);
  const ledger: Ledger = {
    sent: answers.size,
    accepted: 0,
    refused: 0,
    storedOnce: 0,
    lost: 0,
    duplicated: 0,
    storedWithout202: 0,
    deadLettered: 0,
  };
  for (const [eventId, accepted] of answers) {
    const rows = rowCounts.get(eventId) ?? 0;
    if (accepted) ledger.accepted += 1;
    else ledger.refused += 1;
    if (rows === 1) ledger.storedOnce += 1;
    if (rows > 1) ledger.duplicated += 1;
    if (rows > 0 && !accepted) ledger.storedWithout202 += 1;
    if (accepted && rows === 0) {
      if (deadLettered.has(eventId)) ledger.deadLettered += 1;
      else ledger.lost += 1;
    }
  }
  return ledger;
};

export const formatLedger = (scenario: string, l: Ledger, extra = ''): string =>
  `ledger ${scenario}: sent=${l.sent} answered202=${l.accepted} answeredNon2xx=${l.refused} storedOnce=${l.storedOnce} ` +
  `lost=${l.lost} duplicated=${l.duplicated} storedWithout202=${l.storedWithout202} deadLettered=${l.deadLettered}${extra ? ` ${extra}` : ''}`;
