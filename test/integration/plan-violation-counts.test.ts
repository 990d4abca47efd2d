import { afterAll, describe, expect, it } from 'vitest';
import { createPersistHandler } from '../../functions/persist/handler.js';
import { createDrizzleReader } from '../../lib/db/activity-reader.js';
import { createDrizzleStore } from '../../lib/db/activity-store.js';
import { createDatabase } from '../../lib/db/client.js';
import { createDrizzleStatsReader } from '../../lib/db/stats-reader.js';
import type { PlanViolation } from '../../lib/plan/violation.js';
import { activityMessage, decodeRules, lambdaContext, rmqEvent } from '../factories.js';
import { useServiceStack } from '../support/offline-stack.js';

const violation = (rule: string, field = 'metadata.total'): PlanViolation => ({
  field,
  rule,
  message: `fails ${rule}`,
  plan_version: 'v1',
});

describe('tracking plan violations in the database (real MariaDB)', () => {
  const stack = useServiceStack('plan_counts');
  const connection = createDatabase(stack.config);
  const store = createDrizzleStore(connection.db);
  const stats = createDrizzleStatsReader(connection.db);
  const persist = createPersistHandler({ store, rules: decodeRules() });

  afterAll(async () => {
    await connection.pool.end();
  });

  it('stores a flagged event with its violations and counts them once, however often it is delivered', async () => {
    const flagged = activityMessage({
      event_type: 'checkout',
      plan_violations: [violation('type'), violation('required', 'metadata.currency')],
    });
    const unplanned = activityMessage({
      event_type: 'signup',
      plan_violations: [violation('unplanned', 'event_type')],
    });
    const clean = activityMessage({ event_type: 'checkout' });

    await persist(rmqEvent([flagged, unplanned, clean]), lambdaContext());
    await persist(rmqEvent([flagged, unplanned]), lambdaContext()); // a redelivery
    await store.countPlanViolations([{ eventType: 'checkout', rule: 'type', count: 2 }]);

    expect((await stats.readStoredStats()).planViolations).toEqual([
      { eventType: '(unplanned)', rule: 'unplanned', rejected: 0, flagged: 1 },
      { eventType: 'checkout', rule: 'required', rejected: 0, flagged: 1 },
      { eventType: 'checkout', rule: 'type', rejected: 2, flagged: 1 },
    ]);
    const reader = createDrizzleReader(connection.db);
    expect((await reader.findEvent(flagged.event_id))?.plan_violations).toEqual(flagged.plan_violations);
    expect(await reader.findEvent(clean.event_id)).not.toHaveProperty('plan_violations');
  });

  it('counts event types exactly as the plan names them', async () => {
    await store.countPlanViolations([
      { eventType: 'Refund', rule: 'type', count: 1 },
      { eventType: 'refund', rule: 'type', count: 1 },
    ]);

    const counted = (await stats.readStoredStats()).planViolations.filter((v) => /^refund$/i.test(v.eventType));
    expect(counted.map((v) => [v.eventType, v.rejected])).toEqual([
      ['Refund', 1],
      ['refund', 1],
    ]);
  });
});
