import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeMessages } from '../../functions/persist/decode-messages.js';
import { activityMessage, decodeRules, rmqEventOf } from '../../test/factories.js';
import { recordingFailedEvents, recordingPublisher, testIntake } from '../../test/support/recording-publisher.js';
import { loggableField, loggableProblems } from './loggable-reason.js';
import { notePoison } from './pipeline-log.js';

// What a client may put in key names and ids: text that must reach failed_events but never a log line.
const PERSONAL_KEY = 'ada.lovelace@example.com';
const PERSONAL_ID = 'order-of-ada-lovelace';

/** What the logger writes (INFO and DEBUG to stdout, WARN and ERROR to stderr) while `act` runs. */
const logged = async (act: () => Promise<unknown> | unknown): Promise<string> => {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  try {
    await act();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines.join('');
};

describe('reasons as the logs give them (issue 19)', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([
    ['user_id', 'user_id'],
    ['metadata', 'metadata'],
    ['metadata.a.0.b', 'metadata (3 levels in)'],
    [`metadata.${PERSONAL_KEY}`, 'metadata (3 levels in)'],
    [`properties.${PERSONAL_KEY}`, 'properties (3 levels in)'],
    [PERSONAL_KEY, '(a field of the client) (2 levels in)'],
    ['\uDC00', '(a field of the client)'],
    ['(event)', '(event)'],
  ])('names the field %j by its own first part and depth: %s', (field, loggable) => {
    expect(loggableField(field)).toBe(loggable);
  });

  it("keeps the service's own message of each problem", () => {
    expect(
      loggableProblems([
        { field: 'user_id', message: 'must be integer' },
        { field: `metadata.${PERSONAL_KEY}`, message: 'must not contain an unpaired surrogate' },
      ]),
    ).toBe('user_id must be integer; metadata (3 levels in) must not contain an unpaired surrogate');
  });

  it('logs a rejected Segment call kept in failed_events without its message id or key names', async () => {
    const { publisher } = recordingPublisher();
    const { kept, store } = recordingFailedEvents();
    const original = { messageId: PERSONAL_ID, properties: { [PERSONAL_KEY]: 'x\uD800' } };
    const errors = [
      { field: `metadata.properties.${PERSONAL_KEY}`, message: 'must not contain an unpaired surrogate' },
    ];

    const output = await logged(() =>
      testIntake(publisher, store).accept([{ message: activityMessage() }, { errors, original }], {
        keepRejectedAs: 'Segment call',
      }),
    );

    expect(kept[0]).toMatchObject({ messageId: PERSONAL_ID, reason: expect.stringContaining(PERSONAL_KEY) });
    expect(output).toMatch(/Segment call 1 cannot be stored: metadata \(\d+ levels in\) must not contain/);
    expect(output).not.toContain(PERSONAL_ID);
    expect(output).not.toContain('lovelace');
  });

  it('logs a poison message by rule, naming its event id only when it is a UUID, never its message id', async () => {
    const timestamp = new Date().toISOString();
    const { failed } = decodeMessages(
      rmqEventOf([
        {
          body: {
            event_id: PERSONAL_ID,
            user_id: 1,
            event_type: 'x',
            timestamp,
            metadata: { [PERSONAL_KEY]: '\uD800' },
          },
          properties: { messageId: PERSONAL_ID },
        },
        {
          body: { user_id: 'x', event_type: 'x', timestamp, [PERSONAL_KEY]: 1 },
          properties: { messageId: PERSONAL_ID },
        },
      ]),
      decodeRules(),
    );

    const output = await logged(() => notePoison(failed));

    expect(failed.map((event) => event.reason).join()).toContain(PERSONAL_KEY);
    expect(output.trim().split('\n')).toHaveLength(2);
    expect(output).toContain('message fails the schema: ');
    expect(output).not.toContain(PERSONAL_ID);
    expect(output).not.toContain('lovelace');
  });
});

describe('errors as the logs give them (issue 19)', () => {
  it("never quotes a failed query's values or the database's message, only its code", async () => {
    const { describeError } = await import('./logger.js');
    const database = Object.assign(new Error(`Duplicate entry '${PERSONAL_KEY}' for key 'x'`), {
      code: 'ER_DUP_ENTRY',
      sqlMessage: `Duplicate entry '${PERSONAL_KEY}' for key 'x'`,
    });
    const query = new Error(`Failed query: INSERT INTO t VALUES ?\nparams: ${PERSONAL_KEY}`, { cause: database });
    const outer = new Error('1 event(s) cannot be stored', { cause: query });

    const described = JSON.stringify([describeError(outer), describeError(query), describeError(database)]);

    expect(described).not.toContain('lovelace');
    expect(describeError(query)).toEqual({
      error: 'Error: Failed query (statement and values not logged): ER_DUP_ENTRY',
      cause: 'Error: ER_DUP_ENTRY (database message not logged)',
    });
  });
});
