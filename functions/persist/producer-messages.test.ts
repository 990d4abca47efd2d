import { describe, expect, it } from 'vitest';
import { decodeRules, rmqEventOf, seedPayload } from '../../test/factories.js';
import { decodeMessages } from './decode-messages.js';

const readAt = new Date('2026-02-19T10:05:00.000Z');
const decode = (messages: Parameters<typeof rmqEventOf>[0]) =>
  decodeMessages(rmqEventOf(messages), decodeRules(), readAt);

describe('persist: messages other producers publish in the documented schema', () => {
  it('stores a message without event_id and received_at, as the original producer publishes it, with any content type', () => {
    const { valid, failed } = decode([
      { body: seedPayload },
      { body: seedPayload, properties: { contentType: 'text/plain' } },
    ]);

    expect(failed).toEqual([]);
    expect(valid[0]).toEqual({
      event_id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      user_id: 123,
      event_type: 'login',
      timestamp: '2026-02-19T10:00:00.000Z',
      metadata: { browser: 'Chrome', ip: '192.168.1.1' },
      received_at: readAt.toISOString(),
    });
    // Same body, no message id: a re-published copy is the same event.
    expect(valid[1]?.event_id).toBe(valid[0]?.event_id);
  });

  it('takes received_at from the AMQP timestamp, as Lambda renders it, and the event id from the AMQP message-id', () => {
    const properties = { messageId: 'order-42', timestamp: 'Feb 19, 2026, 10:00:03 AM' };
    const { valid } = decode([
      { body: seedPayload, properties },
      { body: { ...seedPayload, metadata: null }, properties },
      { body: seedPayload, properties: { messageId: 'order-43' } },
    ]);

    expect(valid.map((m) => m.received_at)).toEqual([
      '2026-02-19T10:00:03.000Z',
      '2026-02-19T10:00:03.000Z',
      readAt.toISOString(),
    ]);
    expect(valid[1]?.event_id).toBe(valid[0]?.event_id);
    expect(valid[1]).not.toHaveProperty('metadata');
    expect(valid[2]?.event_id).not.toBe(valid[0]?.event_id);
  });

  it('keeps the event_id a producer gives (lower-cased), received when published or else when read', () => {
    const eventId = '7C9E6679-7425-40DE-944B-E07FC1F90AE7';
    const { valid, failed } = decode([
      { body: { ...seedPayload, event_id: eventId }, properties: { timestamp: 'Feb 19, 2026, 10:00:03 AM' } },
      { body: { ...seedPayload, event_id: eventId }, properties: { messageId: 'order-42' } },
    ]);

    expect(failed).toEqual([]);
    expect(valid.map((m) => [m.event_id, m.received_at])).toEqual([
      [eventId.toLowerCase(), '2026-02-19T10:00:03.000Z'],
      [eventId.toLowerCase(), readAt.toISOString()],
    ]);
  });

  it('goes through the intake steps as every source does: one persist would refuse is poison, named', () => {
    const { valid, failed } = decode([{ body: { ...seedPayload, metadata: { note: 'lone \uD800' } } }]);

    expect(valid).toEqual([]);
    expect(failed).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(/metadata.note .*unpaired surrogate/) }),
    ]);
  });

  it('gives different bodies without a message id different event ids', () => {
    const { valid } = decode([{ body: seedPayload }, { body: { ...seedPayload, event_type: 'logout' } }]);
    expect(new Set(valid.map((m) => m.event_id)).size).toBe(2);
  });

  it.each([
    ['a string user_id', { ...seedPayload, user_id: 'abc' }, /user_id must be integer/],
    ['no timestamp', { user_id: 1, event_type: 'login' }, /must have required property 'timestamp'/],
    ['an unknown field', { ...seedPayload, extra: 1 }, /extra is not an allowed field/],
    ['a time before 2000', { ...seedPayload, timestamp: '1999-12-31T23:59:59' }, /timestamp must not be before 2000/],
  ])('still records a producer message with %s as poison, naming what is wrong', (_case, body, reason) => {
    const { valid, failed } = decode([{ body }]);
    expect(valid).toEqual([]);
    expect(failed).toEqual([expect.objectContaining({ reason: expect.stringMatching(reason) })]);
  });
});
