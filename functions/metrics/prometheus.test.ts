import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import type { PipelineStats } from '../../lib/observability/pipeline-stats.js';
import { renderPrometheus } from './prometheus.js';

const minutes = Array.from({ length: 15 }, (_, i) => ({ minute: new Date(Date.UTC(2026, 10, 29, 15, i)), count: i }));

const stats: PipelineStats = {
  queues: [
    { name: 'user_activity_events', messages: 7, consumers: 1 },
    { name: 'user_activity_events.1', messages: 4, consumers: 1 },
  ],
  deadLetters: [
    { name: 'user_activity_events.dlq', messages: 2, consumers: 0 },
    { name: 'user_activity_events.1.dlq', messages: 0, consumers: 0 },
  ],
  stored: {
    storedTotal: 1234,
    failedTotal: 3,
    suppressedTotal: 17,
    storedPerMinute: minutes,
    newestStoredAt: new Date(),
    newestAgeSeconds: 1.5,
    newestFailed: null,
    planViolations: [
      { eventType: '(unplanned)', rule: 'unplanned', rejected: 2, flagged: 0 },
      { eventType: 'checkout', rule: 'type', rejected: 3, flagged: 4 },
    ],
  },
  unavailable: [],
};

const samples = (text: string) =>
  Object.fromEntries(
    parsePrometheusTextFormat(text).map((family) => [
      family.name,
      { type: family.type, metrics: family.metrics as Array<{ value: string; labels?: Record<string, string> }> },
    ]),
  );

describe('Prometheus exposition', () => {
  it('parses as Prometheus text with the documented names, types and labels', () => {
    const parsed = samples(renderPrometheus(stats));

    expect(parsed.activity_queue_messages).toEqual({
      type: 'GAUGE',
      metrics: [
        { value: '7', labels: { queue: 'user_activity_events' } },
        { value: '4', labels: { queue: 'user_activity_events.1' } },
      ],
    });
    expect(parsed.activity_queue_consumers?.metrics).toEqual([
      { value: '1', labels: { queue: 'user_activity_events' } },
      { value: '1', labels: { queue: 'user_activity_events.1' } },
    ]);
    expect(parsed.activity_dlq_messages?.metrics).toEqual([
      { value: '2', labels: { queue: 'user_activity_events.dlq' } },
      { value: '0', labels: { queue: 'user_activity_events.1.dlq' } },
    ]);
    expect(parsed.activity_events_stored_total).toEqual({ type: 'COUNTER', metrics: [{ value: '1234' }] });
    expect(parsed.activity_failed_events_total).toEqual({ type: 'COUNTER', metrics: [{ value: '3' }] });
    expect(parsed.activity_events_suppressed_total).toEqual({ type: 'COUNTER', metrics: [{ value: '17' }] });
    expect(parsed.activity_newest_event_age_seconds?.metrics).toEqual([{ value: '1.5' }]);
    expect(parsed.activity_events_stored_last_minute?.metrics).toEqual([{ value: '13' }]);
    expect(parsed.activity_plan_violations_total).toEqual({
      type: 'COUNTER',
      metrics: [
        { value: '2', labels: { event_type: '(unplanned)', rule: 'unplanned' } },
        { value: '7', labels: { event_type: 'checkout', rule: 'type' } },
      ],
    });
  });

  it('leaves out what a source that did not answer would have said, and says which source it was', () => {
    const parsed = samples(renderPrometheus({ ...stats, queues: null, deadLetters: null, unavailable: ['rabbitmq'] }));

    expect(parsed.activity_queue_messages).toBeUndefined();
    expect(parsed.activity_stats_source_up?.metrics).toEqual([
      { value: '0', labels: { source: 'rabbitmq' } },
      { value: '1', labels: { source: 'mysql' } },
    ]);
  });

  it('escapes label values', () => {
    const text = renderPrometheus({ ...stats, queues: [{ name: 'a"b\\c', messages: 1, consumers: 0 }] });
    expect(samples(text).activity_queue_messages?.metrics).toEqual([{ value: '1', labels: { queue: 'a"b\\c' } }]);
  });
});
