import type { PipelineStats } from '../../lib/observability/pipeline-stats.js';
import type { QueueDepth } from '../../lib/ports.js';

/** `GET /api/v1/stats`'s body: snake_case like the rest of the API, times as ISO-8601 UTC. */
/** Several shards read as one queue: the first one's name, the sums, and each shard's own figures. */
const summed = (queues: QueueDepth[]) => ({
  name: queues[0]?.name ?? '',
  messages: queues.reduce((sum, q) => sum + q.messages, 0),
  consumers: queues.reduce((sum, q) => sum + q.consumers, 0),
  shards: queues,
});

export const toStatsBody = ({ queues, deadLetters, stored, unavailable }: PipelineStats) => ({
  queue: queues && summed(queues),
  dead_letters: deadLetters && {
    name: deadLetters[0]?.name ?? '',
    messages: deadLetters.reduce((sum, q) => sum + q.messages, 0),
    shards: deadLetters.map(({ name, messages }) => ({ name, messages })),
  },
  failed_events: stored && {
    total: stored.failedTotal,
    newest: stored.newestFailed && { at: stored.newestFailed.at.toISOString(), reason: stored.newestFailed.reason },
  },
  plan_violations: stored && {
    total: stored.planViolations.reduce((sum, v) => sum + v.rejected + v.flagged, 0),
    rejected: stored.planViolations.reduce((sum, v) => sum + v.rejected, 0),
    flagged: stored.planViolations.reduce((sum, v) => sum + v.flagged, 0),
    by_type: stored.planViolations.map(({ eventType, rule, rejected, flagged }) => ({
      event_type: eventType,
      rule,
      rejected,
      flagged,
    })),
  },
  suppressed: stored && { total: stored.suppressedTotal },
  stored: stored && {
    total: stored.storedTotal,
    per_minute: stored.storedPerMinute.map(({ minute, count }) => ({ minute: minute.toISOString(), count })),
    newest_at: stored.newestStoredAt?.toISOString() ?? null,
    newest_age_seconds: stored.newestAgeSeconds,
  },
  unavailable,
});
