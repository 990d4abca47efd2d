import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { mapCalls } from '../../functions/segment/map-calls.js';
import type { TrackRequest } from '../../lib/activity/activity-schema.js';
import { mapNativeEvent } from '../../lib/activity/native-event.js';
import { createDrizzleStore } from '../../lib/db/activity-store.js';
import { createDatabase } from '../../lib/db/client.js';
import { createIntake } from '../../lib/intake/intake.js';
import { isMessage, type Mapped } from '../../lib/intake/mapped.js';
import { intakeSteps } from '../../lib/intake/steps.js';
import { parsePlan } from '../../lib/plan/load-plan.js';
import { useServiceStack } from '../support/offline-stack.js';
import { recordingFailedEvents, recordingPublisher, recordingViolationCounts } from '../support/recording-publisher.js';

const run = promisify(execFile);

// Mixed events: native ones whose metadata varies (an optional coupon, integer and decimal totals, a nested
// object), and Segment calls (a track call's properties, an identify call's traits).
const native: TrackRequest[] = [
  { user_id: 1, event_type: 'checkout', timestamp: '2026-12-06T10:00:00Z', metadata: { total: 10, currency: 'EUR' } },
  {
    user_id: 2,
    event_type: 'checkout',
    timestamp: '2026-12-06T10:01:00Z',
    metadata: { total: 12.5, currency: 'USD', coupon: 'SPRING', cart: { items: 2 } },
  },
  { user_id: 3, event_type: 'login', timestamp: '2026-12-06T10:02:00Z', metadata: { browser: 'Firefox' } },
  { user_id: 3, event_type: 'login', timestamp: '2026-12-06T10:03:00Z', metadata: { browser: 'Chrome', mfa: true } },
];
const segmentCalls = [
  { type: 'track', event: 'Order Completed', userId: 'u-1', messageId: 'rt-1', properties: { revenue: 20, sku: 'A' } },
  { type: 'track', event: 'Order Completed', anonymousId: 'a-2', messageId: 'rt-2', properties: { revenue: 5 } },
  { type: 'identify', userId: 'u-1', messageId: 'rt-3', traits: { email: 'ada@example.com', plan: 'pro' } },
];

const mappedEvents = (now: Date): Mapped[] => [
  ...native.map((event) => mapNativeEvent(event, now)),
  ...mapCalls({ batch: true, calls: segmentCalls }, 'write-key', now),
];

const planCli = (args: string[], databaseUrl: string) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/plan.ts', ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });

describe('plan draft, check and reject-mode ingestion: a round trip (real MariaDB)', () => {
  const stack = useServiceStack('plan_round_trip');
  const connection = createDatabase(stack.config);

  afterAll(async () => {
    await connection.pool.end();
  });

  it('drafts a plan from the stored events under which the same events pass check and the intake', async () => {
    // Arrange: the events stored as persist stores them.
    const messages = mappedEvents(new Date()).flatMap((item) => (isMessage(item) ? [item.message] : []));
    expect(messages).toHaveLength(7);
    await createDrizzleStore(connection.db).insertActivities(messages);
    const folder = await mkdtemp(join(tmpdir(), 'uat-plan-'));
    const planFile = join(folder, 'plan.json');

    // Act: draft, then check, with the CLI.
    const drafted = await planCli(
      ['draft', '--days', '1', '--version', 'rt-1', '--out', planFile],
      stack.config.databaseUrl,
    );
    const checked = await planCli(['check', planFile], stack.config.databaseUrl);

    // Assert: a progress line, a plan of the types seen with their properties, and check passing.
    expect(drafted.stderr).toMatch(/drafting: 7 of ~7 events read \(last 1 days\)/);
    const plan = JSON.parse(await readFile(planFile, 'utf8'));
    expect(Object.keys(plan.events)).toEqual(['$identify', 'Order Completed', 'checkout', 'login']);
    expect(plan.events.checkout.metadata).toEqual({
      type: 'object',
      required: ['currency', 'total'],
      properties: {
        cart: { type: 'object' },
        coupon: { type: 'string' },
        currency: { type: 'string' },
        total: { type: 'number' },
      },
    });
    expect(plan.events['Order Completed'].metadata.required).toEqual(['revenue']);
    expect(plan.events.$identify.metadata.required).toEqual(['email', 'plan']);
    expect(checked.stdout).toContain('plan rt-1 is valid: 4 event types');

    // The same events through the intake under the drafted plan, in reject mode with unplanned types refused.
    const strict = parsePlan(JSON.stringify({ ...plan, enforcement: 'reject', unplanned: 'reject' }), planFile);
    const { publisher, published } = recordingPublisher();
    const intake = createIntake({
      publisher,
      failedEvents: recordingFailedEvents().store,
      violationCounts: recordingViolationCounts().store,
      steps: intakeSteps({ maxMessageBytes: 64 * 1024, trackingPlan: strict }),
    });
    const outcome = await intake.accept(mappedEvents(new Date()));
    expect(outcome).toMatchObject({ accepted: 7, rejected: 0 });
    expect(published).toHaveLength(7);

    // ...and the plan is not vacuous: a total sent as text, or an unseen type, is refused.
    const refused = await intake.accept([
      mapNativeEvent({ ...(native[0] as TrackRequest), metadata: { total: '10', currency: 'EUR' } }, new Date()),
      mapNativeEvent({ ...(native[0] as TrackRequest), event_type: 'refund' }, new Date()),
    ]);
    expect(refused).toMatchObject({ accepted: 0, rejected: 2, blocked: 2 });
  });
});
