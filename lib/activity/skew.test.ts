import { describe, expect, it } from 'vitest';
import { correctedTime } from './skew.js';

describe('clock-skew correction', () => {
  const receivedAt = Date.parse('2026-02-19T12:00:00.000Z');

  it('moves the event onto the server clock: received_at - (sent_at - timestamp)', () => {
    // The device clock runs 2 h fast; the event happened 30 s before it was sent.
    const corrected = correctedTime(Date.parse('2026-02-19T13:59:30Z'), Date.parse('2026-02-19T14:00:00Z'), receivedAt);
    expect(new Date(corrected!).toISOString()).toBe('2026-02-19T11:59:30.000Z');
  });

  it('is undefined without sent_at', () => {
    expect(correctedTime(Date.parse('2026-02-19T13:59:30Z'), undefined, receivedAt)).toBeUndefined();
  });
});
