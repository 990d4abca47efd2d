import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, sleep } from '../../tools/services.js';
import { type LogLine, logLines } from '../support/log-lines.js';
import { FaultStack } from './fault-stack.js';

const metricsFile = join(mkdtempSync(join(tmpdir(), 'uat-metrics-')), 'metrics.jsonl');
const SECRET = 'metadata-that-must-not-be-logged';

/** EMF lines (one per invocation) summed per metric name and `reason` dimension. */
const metricTotals = (): Map<string, number> => {
  const totals = new Map<string, number>();
  for (const line of readFileSync(metricsFile, 'utf8').split('\n').filter(Boolean)) {
    const emf = JSON.parse(line) as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }> }> };
    };
    for (const { Name } of emf._aws.CloudWatchMetrics[0]?.Metrics ?? []) {
      const key = emf.reason ? `${Name}{reason=${emf.reason}}` : Name;
      const value = emf[Name] as number | number[];
      totals.set(key, (totals.get(key) ?? 0) + (Array.isArray(value) ? value.reduce((a, b) => a + b, 0) : value));
    }
  }
  return totals;
};

describe('faults: what the operators see (JSON logs and metrics from the functions)', () => {
  let stack: FaultStack;
  const lines = (): LogLine[] => logLines(stack.offline.output);

  beforeAll(async () => {
    stack = await FaultStack.create('logs', { METRICS_OUTPUT: `file:${metricsFile}`, PUBLISH_TIMEOUT_MS: '1000' });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('writes one JSON warning naming the event id when the broker does not confirm it, and never the body', async () => {
    const event = {
      event_id: randomUUID(),
      user_id: 7,
      event_type: 'login',
      timestamp: new Date().toISOString(),
      metadata: { note: SECRET },
    };
    stack.rabbitProxy.cut();

    const response = await stack.offline.post('/api/v1/events/track', event);
    stack.rabbitProxy.heal();

    expect(response.status).toBe(503);
    const warnings = lines().filter((l) => Array.isArray(l.event_ids) && l.event_ids.includes(event.event_id));
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 'WARN',
        service: 'user-activity',
        function_name: expect.stringMatching(/track/),
        request_id: expect.any(String),
        message: 'events not confirmed by the broker; the client may retry them',
        error: expect.stringMatching(/^PublishError: /),
      }),
    ]);
    expect(stack.offline.output).not.toContain(SECRET);
  });

  it('writes one JSON warning naming the event id of a poison message', async () => {
    const eventId = randomUUID();
    await eventually(async () => (await stack.broker.consumers(stack.config.queueName)) === 1, 20_000);

    stack.broker.channel.sendToQueue(
      stack.config.queueName,
      Buffer.from(JSON.stringify({ event_id: eventId, user_id: 'x' })),
    );
    const recorded = await eventually(
      async () => (await stack.database.rows('SELECT id FROM failed_events')).length > 0,
      10_000,
    );
    // persist logs once the row is committed: the line can follow the row by a moment. A second line would follow too.
    await eventually(async () => lines().some((l) => l.event_id === eventId), 5000);
    await sleep(500);

    expect(recorded).toBe(true);
    expect(lines().filter((l) => l.event_id === eventId)).toEqual([
      expect.objectContaining({
        level: 'WARN',
        service: 'user-activity',
        function_name: expect.stringMatching(/persist/),
        message: 'poison message recorded in failed_events',
        reason: expect.stringMatching(/^message fails the schema: /),
      }),
    ]);
  });

  it('writes no line per accepted event at INFO, one per persist batch, and counts events in its metrics', async () => {
    const before = lines().length;
    const valid = () => ({
      event_id: randomUUID(),
      user_id: 8,
      event_type: 'view',
      timestamp: new Date().toISOString(),
    });
    const ids = [valid(), valid()];

    for (const event of ids) expect((await stack.offline.post('/api/v1/events/track', event)).status).toBe(202);
    expect((await stack.offline.post('/api/v1/events/track', { user_id: 'nope' })).status).toBe(400);
    expect((await stack.offline.post('/api/v1/events/track', 'x', { 'content-type': 'text/plain' })).status).toBe(415);
    await eventually(async () => (await stack.rowCounts(ids.map((e) => e.event_id))).size === 2, 10_000);
    // The batch line follows the commit by a moment.
    await eventually(
      async () =>
        lines()
          .slice(before)
          .some((l) => l.message === 'batch stored'),
      5000,
    );
    await sleep(200);

    const newLines = lines().slice(before);
    expect(newLines.filter((l) => l.level !== 'INFO' || l.message !== 'batch stored')).toEqual([]);
    expect(newLines[0]).toMatchObject({
      size: expect.any(Number),
      stored: expect.any(Number),
      duration_ms: expect.any(Number),
    });
    const totals = metricTotals();
    expect(totals.get('EventsAccepted')).toBeGreaterThanOrEqual(2);
    expect(totals.get('EventsRejected{reason=validation}')).toBe(1);
    expect(totals.get('EventsRejected{reason=media_type}')).toBe(1);
    expect(totals.get('PublishFailures')).toBe(1);
    expect(totals.get('EventsStored')).toBeGreaterThanOrEqual(2);
    expect(totals.get('PoisonMessages')).toBe(1);
  });
});
