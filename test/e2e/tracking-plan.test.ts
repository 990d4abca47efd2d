import { randomUUID } from 'node:crypto';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, withoutChromium } from '../../tools/chromium.js';
import { eventually, sleep } from '../../tools/services.js';
import { type OfflineStack, useOfflineStack } from '../support/offline-stack.js';
import { openApiErrors } from '../support/openapi-schemas.js';

/**
 * Issue 20 through the real `serverless offline`, one stack per mode, each with a plan of the fixtures: `checkout`
 * needs a numeric `total` (and a 3-letter `currency` if any), `$identify` needs an `email` trait, and any other type
 * is unplanned (rejected, or flagged).
 */
const REJECT_PLAN = 'test/fixtures/plans/checkout-reject.json';
const FLAG_PLAN = 'test/fixtures/plans/checkout-flag.json';

const event = (userId: number, event_type: string, metadata: Record<string, unknown>) => ({
  event_id: randomUUID(),
  user_id: userId,
  event_type,
  timestamp: '2026-12-07T10:00:00Z',
  metadata,
});

const segmentTrack = (userId: number, name: string, properties: Record<string, unknown>) => ({
  type: 'track',
  messageId: randomUUID(),
  userId: String(userId),
  event: name,
  properties,
  timestamp: '2026-12-07T10:00:00Z',
});

interface Sample {
  value: string;
  labels?: Record<string, string>;
}

/** activity_plan_violations_total from /metrics, as `{ "checkout/type": 2 }`. */
const violationMetrics = async (stack: OfflineStack): Promise<Record<string, number>> => {
  const text = await (await fetch(`${stack.offline.baseUrl}/metrics`)).text();
  const family = parsePrometheusTextFormat(text).find((f) => f.name === 'activity_plan_violations_total');
  return Object.fromEntries(
    ((family?.metrics ?? []) as Sample[]).map((s) => [`${s.labels?.event_type}/${s.labels?.rule}`, Number(s.value)]),
  );
};

const statsOf = async (stack: OfflineStack) => {
  const body = (await (await fetch(`${stack.offline.baseUrl}/api/v1/stats`)).json()) as {
    plan_violations: { total: number; rejected: number; flagged: number };
  };
  expect(openApiErrors('Stats', body)).toEqual([]);
  return body.plan_violations;
};

const rowsOfUser = (stack: OfflineStack, userId: number) =>
  stack.database.rows<{ event_id: string; event_type: string; plan_violations: unknown }>(
    'SELECT event_id, event_type, plan_violations FROM user_activities WHERE user_id = ? ORDER BY id',
    [userId],
  );

const parsed = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

describe('a tracking plan in reject mode, through serverless offline', () => {
  const stack = useOfflineStack('plan_reject', { env: { TRACKING_PLAN: REJECT_PLAN } });

  it('answers single, batch and Segment calls as issue 20 says, stores only what conforms, and counts the rest', async () => {
    const user = 7001;
    // Arrange: per API a conforming, a violating and an unplanned event.
    const good = event(user, 'checkout', { total: 12.5, currency: 'EUR' });

    // Act + Assert: the single endpoint.
    const single = await stack.offline.post('/api/v1/events/track', good);
    expect(single.status).toBe(202);
    const wrongType = await stack.offline.post('/api/v1/events/track', event(user, 'checkout', { total: '12.50' }));
    expect(wrongType.status).toBe(400);
    const wrongTypeBody = await wrongType.json();
    expect(wrongTypeBody).toEqual({
      status: 400,
      error: 'Bad Request',
      message: 'Validation failed',
      details: [{ field: 'metadata.total', rule: 'type', message: 'must be number', plan_version: '2026-12-07.1' }],
    });
    expect(openApiErrors('Error', wrongTypeBody)).toEqual([]);
    const unplanned = await stack.offline.post('/api/v1/events/track', event(user, 'signup', {}));
    expect(unplanned.status).toBe(400);
    expect(((await unplanned.json()) as { details: unknown }).details).toEqual([
      { field: 'event_type', rule: 'unplanned', message: 'is not in the tracking plan', plan_version: '2026-12-07.1' },
    ]);

    // The batch endpoint: the violating and the unplanned items are rejected in the 207.
    const batchGood = event(user, 'checkout', { total: 3 });
    const batch = await stack.offline.post('/api/v1/events/batch', {
      events: [batchGood, event(user, 'checkout', { currency: 'euro' }), event(user, 'logout', {})],
    });
    expect(batch.status).toBe(207);
    const batchBody = (await batch.json()) as { results: Array<{ status: string; errors?: unknown }> };
    expect(openApiErrors('BatchResult', batchBody)).toEqual([]);
    expect(batchBody).toMatchObject({ accepted: 1, rejected: 2, blocked: 2, failed: 0 });
    expect(batchBody.results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'rejected']);
    expect(batchBody.results[1]?.errors).toEqual([
      expect.objectContaining({ field: 'metadata.total', rule: 'required' }),
      expect.objectContaining({ field: 'metadata.currency', rule: 'pattern' }),
    ]);

    // The Segment endpoints answer 200 and keep what the plan refuses in failed_events.
    const segmentGood = segmentTrack(user, 'checkout', { total: 99 });
    const segmentBad = segmentTrack(user, 'checkout', { total: 'lots' });
    expect((await stack.offline.post('/v1/track', segmentBad)).status).toBe(200);
    const identify = await stack.offline.post('/v1/identify', {
      messageId: randomUUID(),
      userId: String(user),
      traits: { name: 'Ada' },
    });
    expect(identify.status).toBe(200);
    expect(await identify.json()).toEqual({ success: true, accepted: 0, rejected: 1 });
    const segmentBatch = await stack.offline.post('/v1/batch', {
      batch: [segmentGood, segmentTrack(user, 'wishlist', { sku: 'x' })],
    });
    expect(segmentBatch.status).toBe(200);
    expect(await segmentBatch.json()).toEqual({ success: true, accepted: 1, rejected: 1 });

    // Rows: the three conforming events only, with no violations.
    const rows = await eventually(async () => {
      const found = await rowsOfUser(stack, user);
      return found.length >= 3 ? found : undefined;
    }, 10_000).then((found) => found ?? []);
    await sleep(500);
    expect((await rowsOfUser(stack, user)).length).toBe(3);
    expect(rows.map((r) => r.event_type)).toEqual(['checkout', 'checkout', 'checkout']);
    expect(rows.every((r) => r.plan_violations === null)).toBe(true);

    // failed_events: the three Segment calls the plan refused, each with its violations.
    const failed = await stack.database.rows<{ reason: string }>('SELECT reason FROM failed_events ORDER BY id');
    expect(failed.map((f) => f.reason)).toEqual([
      'Segment call 0 cannot be stored: properties.total must be number (rule type, plan 2026-12-07.1)',
      "Segment call 0 cannot be stored: traits.email must have required property 'email' (rule required, plan 2026-12-07.1)",
      'Segment call 1 cannot be stored: event_type is not in the tracking plan (rule unplanned, plan 2026-12-07.1)',
    ]);

    // /metrics and /api/v1/stats count every violation answered: 2 type, 1 required, 1 pattern, 1 required
    // (traits), 3 unplanned.
    expect(await violationMetrics(stack)).toEqual({
      '$identify/required': 1,
      '(unplanned)/unplanned': 3,
      'checkout/pattern': 1,
      'checkout/required': 1,
      'checkout/type': 2,
    });
    expect(await statsOf(stack)).toMatchObject({ total: 8, rejected: 8, flagged: 0 });

    // The functions evaluated the validators serverless offline start compiled, instead of compiling them.
    const loaded = stack.offline.output.split('\n').filter((line) => line.includes('"tracking plan loaded"'));
    expect(loaded.length).toBeGreaterThan(0);
    for (const line of loaded) expect(line).toContain('"validators_compiled":"at build time"');
  });
});

describe('a tracking plan in flag mode, through serverless offline', () => {
  const stack = useOfflineStack('plan_flag', { env: { TRACKING_PLAN: FLAG_PLAN } });

  it('stores every event, the violating ones with their violations, shows them in the read API and counts them', async () => {
    const user = 7002;
    const good = event(user, 'checkout', { total: 1 });
    const bad = event(user, 'checkout', { total: 'one' });

    expect((await stack.offline.post('/api/v1/events/track', good)).status).toBe(202);
    expect((await stack.offline.post('/api/v1/events/track', bad)).status).toBe(202);
    const batch = await stack.offline.post('/api/v1/events/batch', {
      events: [event(user, 'checkout', {}), event(user, 'signup', {})],
    });
    expect(batch.status).toBe(202);
    expect((await stack.offline.post('/v1/track', segmentTrack(user, 'checkout', { total: [1] }))).status).toBe(200);

    const rows = await eventually(async () => {
      const found = await rowsOfUser(stack, user);
      return found.length >= 5 ? found : undefined;
    }, 10_000).then((found) => found ?? []);
    await sleep(500);
    expect((await rowsOfUser(stack, user)).length).toBe(5);
    const version = '2026-12-07.1-flag';
    expect(rows.map((r) => parsed(r.plan_violations))).toEqual([
      null,
      [{ field: 'metadata.total', rule: 'type', message: 'must be number', plan_version: version }],
      [
        {
          field: 'metadata.total',
          rule: 'required',
          message: "must have required property 'total'",
          plan_version: version,
        },
      ],
      [{ field: 'event_type', rule: 'unplanned', message: 'is not in the tracking plan', plan_version: version }],
      [{ field: 'properties.total', rule: 'type', message: 'must be number', plan_version: version }],
    ]);
    expect(await stack.database.countRows('failed_events')).toBe(0);

    // The read API shows a flagged event's violations, and nothing for a conforming one.
    const flagged = (await (await fetch(`${stack.offline.baseUrl}/api/v1/events/${bad.event_id}`)).json()) as {
      plan_violations: unknown;
    };
    expect(openApiErrors('StoredActivity', flagged)).toEqual([]);
    expect(flagged.plan_violations).toEqual([
      { field: 'metadata.total', rule: 'type', message: 'must be number', plan_version: version },
    ]);
    const clean = await (await fetch(`${stack.offline.baseUrl}/api/v1/events/${good.event_id}`)).json();
    expect(clean).not.toHaveProperty('plan_violations');

    // A flagged event sent again is stored once and counted once. A conforming event behind it on the same user's
    // queue tells when persist has been through the duplicate.
    const marker = event(user, 'checkout', { total: 5 });
    expect((await stack.offline.post('/api/v1/events/batch', { events: [bad, marker] })).status).toBe(202);
    const markerStored = await eventually(async () => {
      const found = await rowsOfUser(stack, user);
      return found.some((row) => row.event_id === marker.event_id);
    }, 10_000);
    expect(markerStored).toBe(true);
    expect((await rowsOfUser(stack, user)).length).toBe(6);
    expect(await violationMetrics(stack)).toEqual({
      '(unplanned)/unplanned': 1,
      'checkout/required': 1,
      'checkout/type': 2,
    });
    expect(await statsOf(stack)).toMatchObject({ total: 4, rejected: 0, flagged: 4 });
  });
});

describe.skipIf(withoutChromium)('the debugger with a tracking plan in flag mode (browser)', () => {
  const stack = useOfflineStack('plan_debugger', { env: { TRACKING_PLAN: FLAG_PLAN } });
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('marks a flagged event, shows its violations, and can show only the flagged ones', async () => {
    const user = 7003;
    const flagged = event(user, 'checkout', { total: 'one' });
    const batch = await stack.offline.post('/api/v1/events/batch', {
      events: [event(user, 'checkout', { total: 1 }), flagged, event(user, 'checkout', { total: 2 })],
    });
    expect(batch.status).toBe(202);
    await eventually(async () => (await rowsOfUser(stack, user)).length === 3, 10_000);
    const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });

    await page.goto(`${stack.offline.baseUrl}/debugger`);
    const row = page.locator('#events tr', { hasText: flagged.event_id });
    await row.waitFor({ timeout: 5000 });

    await expect(row.getAttribute('class')).resolves.toBe('violates');
    await expect(row.locator('td').nth(7).textContent()).resolves.toBe('\u26a0 1: metadata.total (type)');
    await expect(page.textContent('#shown')).resolves.toBe('3 of the 3 newest events');
    await page.check('#f-violations');
    await expect(page.textContent('#shown')).resolves.toBe('1 of the 3 newest events');
    await row.click();
    await page.locator('#detail-json', { hasText: flagged.event_id }).waitFor({ timeout: 5000 });
    const detail = JSON.parse((await page.textContent('#detail-json')) as string);
    expect(detail.plan_violations).toEqual([
      { field: 'metadata.total', rule: 'type', message: 'must be number', plan_version: '2026-12-07.1-flag' },
    ]);
    await page.locator('#t-violations', { hasText: '1' }).waitFor({ timeout: 5000 });
    await page.close();
  });
});
