import type { PipelineStats } from '../../lib/observability/pipeline-stats.js';
import type { QueueDepth } from '../../lib/ports.js';

/** Prometheus text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Labels = Record<string, string>;
interface Family {
  name: string;
  type: 'gauge' | 'counter';
  help: string;
  samples: Array<{ labels?: Labels; value: number }>;
}

const escapeLabel = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

const renderLabels = (labels: Labels = {}): string => {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${escapeLabel(value)}"`);
  return pairs.length ? `{${pairs.join(',')}}` : '';
};

const renderFamily = ({ name, type, help, samples }: Family): string =>
  [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} ${type}`,
    ...samples.map(({ labels, value }) => `${name}${renderLabels(labels)} ${value}`),
  ].join('\n');

/** The last complete minute's count: the current one is still filling. */
const lastMinute = (stats: PipelineStats): number => stats.stored?.storedPerMinute.at(-2)?.count ?? 0;

/**
 * The pipeline state as Prometheus metrics. A family whose source did not answer is left out, and
 * activity_stats_source_up says which one, so an alert can tell "no data" from "zero".
 */
export const renderPrometheus = (stats: PipelineStats): string => {
  const { queues, deadLetters, stored } = stats;
  const families: Family[] = [];
  if (queues && deadLetters) {
    const byQueue = (depths: QueueDepth[], value: (q: QueueDepth) => number) =>
      depths.map((q) => ({ labels: { queue: q.name }, value: value(q) }));
    families.push(
      {
        name: 'activity_queue_messages',
        type: 'gauge',
        help: 'Messages ready on an event queue (one per shard).',
        samples: byQueue(queues, (q) => q.messages),
      },
      {
        name: 'activity_queue_consumers',
        type: 'gauge',
        help: 'Consumers of an event queue.',
        samples: byQueue(queues, (q) => q.consumers),
      },
      {
        name: 'activity_dlq_messages',
        type: 'gauge',
        help: 'Messages on a dead-letter queue.',
        samples: byQueue(deadLetters, (q) => q.messages),
      },
    );
  }
  if (stored) {
    families.push(
      {
        name: 'activity_events_stored_total',
        type: 'counter',
        help: 'Events stored by persist.',
        samples: [{ value: stored.storedTotal }],
      },
      {
        name: 'activity_failed_events_total',
        type: 'counter',
        help: 'Poison messages recorded in failed_events.',
        samples: [{ value: stored.failedTotal }],
      },
      {
        name: 'activity_events_suppressed_total',
        type: 'counter',
        help: 'Events of suppressed subjects, answered as usual and kept nowhere.',
        samples: [{ value: stored.suppressedTotal }],
      },
      {
        name: 'activity_events_stored_last_minute',
        type: 'gauge',
        help: 'Events stored in the last complete UTC minute.',
        samples: [{ value: lastMinute(stats) }],
      },
    );
    families.push({
      name: 'activity_plan_violations_total',
      type: 'counter',
      help: 'Tracking plan violations, refused or flagged, by event type (the plan\'s, or "(unplanned)") and rule.',
      samples: stored.planViolations.map(({ eventType, rule, rejected, flagged }) => ({
        labels: { event_type: eventType, rule },
        value: rejected + flagged,
      })),
    });
    if (stored.newestAgeSeconds !== null) {
      families.push({
        name: 'activity_newest_event_age_seconds',
        type: 'gauge',
        help: 'Seconds since the newest event was stored.',
        samples: [{ value: stored.newestAgeSeconds }],
      });
    }
  }
  families.push({
    name: 'activity_stats_source_up',
    type: 'gauge',
    help: 'Whether the source of these figures answered (1) or not (0).',
    samples: (['rabbitmq', 'mysql'] as const).map((source) => ({
      labels: { source },
      value: stats.unavailable.includes(source) ? 0 : 1,
    })),
  });
  return `${families.map(renderFamily).join('\n')}\n`;
};
