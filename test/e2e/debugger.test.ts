import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, withoutChromium } from '../../tools/chromium.js';
import { OfflineProcess } from '../../tools/offline.js';
import { runConfig, runEnv } from '../../tools/run-config.js';
import { Broker, Database, eventually, sleep } from '../../tools/services.js';

const SCREENSHOT = 'docs/debugger.png';
// The page polls every second; "about 2 s" from stored to shown, with room for a slow request.
const SHOWN_WITHIN_MS = 3000;

/** serverless offline on a queue and database of its own, and a browser page on its /debugger. */
const startStack = (name: string, browser: () => Browser, env: Record<string, string> = {}) => {
  const config = runConfig(name);
  const stack = { config } as {
    config: typeof config;
    offline: OfflineProcess;
    database: Database;
    broker: Broker;
    page: Page;
    /** Requests the page made, and what went wrong in it (script errors, CSP violations). */
    requests: Array<{ url: string; authorization: string | undefined }>;
    problems: string[];
  };
  beforeAll(async () => {
    stack.database = await Database.create(config);
    stack.broker = await Broker.open(config);
    stack.offline = await OfflineProcess.start({ env: { ...runEnv(config), ...env } });
    stack.page = await browser().newPage({ viewport: { width: 1200, height: 800 } });
    stack.requests = [];
    stack.problems = [];
    stack.page.on('request', (request) =>
      stack.requests.push({ url: request.url(), authorization: request.headers().authorization }),
    );
    stack.page.on('pageerror', (error) => stack.problems.push(error.message));
    stack.page.on('console', (message) => {
      if (/Content Security Policy|Uncaught/.test(message.text())) stack.problems.push(message.text());
    });
    await stack.page.goto(`${stack.offline.baseUrl}/debugger`);
  });
  afterAll(async () => {
    await stack.page?.context().close();
    await stack.offline?.stop('SIGTERM');
    await stack.broker?.deleteQueues(config).catch(() => undefined);
    await stack.broker?.close();
    await stack.database?.drop();
  });
  return stack;
};

type Stack = ReturnType<typeof startStack>;

/** Sends events over HTTP and waits until every one is a row; resolves with their event_ids in sending order. */
const sendAndStore = async (stack: Stack, events: Array<{ user_id: number; event_type: string }>) => {
  const timestamp = new Date().toISOString();
  const response = await stack.offline.post('/api/v1/events/batch', {
    events: events.map((event, i) => ({ ...event, timestamp, metadata: { step: i, page: `/shop/${i}` } })),
  });
  expect(response.status).toBe(202);
  const ids = ((await response.json()) as { results: Array<{ event_id: string }> }).results.map((r) => r.event_id);
  const stored = await eventually(async () => {
    const rows = await stack.database.rows('SELECT id FROM user_activities WHERE event_id IN (?)', [ids]);
    return rows.length === ids.length;
  }, 10_000);
  expect(stored).toBe(true);
  return ids;
};

const eventRow = (page: Page, eventId: string) => page.locator('#events tr', { hasText: eventId });

/** The event_ids the events table shows, top to bottom. */
const shownEventIds = (page: Page) =>
  page.locator('#events tr td:last-child').evaluateAll((cells) => cells.map((cell) => cell.textContent));

/** The (user_id, event_type) of every row the events table shows. */
const shownUsersAndTypes = (page: Page) =>
  page
    .locator('#events tr')
    .evaluateAll((rows) => rows.map((row) => [row.children[2]?.textContent, row.children[3]?.textContent]));

describe.skipIf(withoutChromium)('the live event debugger in Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  describe('without keys', () => {
    const stack = startStack('debugger', () => browser);

    it('shows events sent over HTTP within about 2 s of being stored, newest first', async () => {
      const ids = await sendAndStore(stack, [
        { user_id: 9101, event_type: 'signup' },
        { user_id: 9102, event_type: 'add_to_cart' },
        { user_id: 9101, event_type: 'checkout' },
      ]);
      const stored = Date.now();

      await eventRow(stack.page, ids[2]!).waitFor({ timeout: SHOWN_WITHIN_MS });
      console.log(`debugger: row stored -> shown in the page after ${Date.now() - stored} ms`);

      const newestFirst = await stack.database.rows<{ event_id: string }>(
        'SELECT event_id FROM user_activities ORDER BY id DESC',
      );
      expect(await shownEventIds(stack.page)).toEqual(newestFirst.map((row) => row.event_id));
      expect((await shownEventIds(stack.page)).slice(0, 3)).toEqual([...ids].reverse());
    });

    it('filters the events it keeps by user_id and by event_type', async () => {
      await sendAndStore(stack, [
        { user_id: 9201, event_type: 'search' },
        { user_id: 9202, event_type: 'checkout_failed' },
      ]);
      await stack.page.locator('#events tr', { hasText: 'checkout_failed' }).waitFor({ timeout: SHOWN_WITHIN_MS });

      await stack.page.fill('#f-user', '9101');
      expect(await shownUsersAndTypes(stack.page)).toEqual([
        ['9101', 'checkout'],
        ['9101', 'signup'],
      ]);

      await stack.page.fill('#f-user', '');
      await stack.page.fill('#f-type', 'checkout');
      expect(await shownUsersAndTypes(stack.page)).toEqual([
        ['9202', 'checkout_failed'],
        ['9101', 'checkout'],
      ]);
      await expect(stack.page.textContent('#shown')).resolves.toBe('2 of the 5 newest events');

      await stack.page.fill('#f-type', '');
      expect(await shownEventIds(stack.page)).toHaveLength(5);
    });

    it('pauses, and shows what was stored meanwhile on resume', async () => {
      await stack.page.click('#pause');
      await expect(stack.page.textContent('#status')).resolves.toBe('paused');

      const [whilePaused] = await sendAndStore(stack, [{ user_id: 9301, event_type: 'paused_view' }]);
      await sleep(2000);
      expect(await eventRow(stack.page, whilePaused!).count()).toBe(0);

      await stack.page.click('#pause');
      await eventRow(stack.page, whilePaused!).waitFor({ timeout: SHOWN_WITHIN_MS });
      expect((await shownEventIds(stack.page))[0]).toBe(whilePaused);
      await expect(stack.page.textContent('#pause')).resolves.toBe('Pause');
    });

    it('opens an event to show its whole stored JSON', async () => {
      const [eventId] = await sendAndStore(stack, [{ user_id: 9401, event_type: 'purchase' }]);
      await eventRow(stack.page, eventId!).waitFor({ timeout: SHOWN_WITHIN_MS });

      await eventRow(stack.page, eventId!).click();

      const shown = JSON.parse((await stack.page.textContent('#detail-json')) as string);
      const readApi = await fetch(`${stack.offline.baseUrl}/api/v1/events/${eventId}`);
      const fromReadApi = (await readApi.json()) as Record<string, unknown>;
      const [row] = await stack.database.rows<{ id: number }>('SELECT id FROM user_activities WHERE event_id = ?', [
        eventId,
      ]);
      expect(shown).toEqual({ id: row!.id, stored_at: expect.stringMatching(/Z$/), ...fromReadApi });
      expect(shown.metadata).toEqual({ step: 0, page: '/shop/0' });
      await expect(eventRow(stack.page, eventId!).getAttribute('class')).resolves.toBe('selected');
    });

    it('shows a Segment call under its userId or anonymousId, and filters by either', async () => {
      const [userKey, anonymousId] = [`ana-${randomUUID()}@example.com`, `anon-${randomUUID()}`];
      const response = await stack.offline.post('/v1/batch', {
        batch: [
          { type: 'track', userId: userKey, event: 'Order Completed', messageId: randomUUID() },
          { type: 'page', anonymousId, name: 'Pricing', messageId: randomUUID() },
        ],
      });
      expect(response.status).toBe(200);
      await stack.page.locator('#events tr', { hasText: anonymousId }).waitFor({ timeout: SHOWN_WITHIN_MS });

      await stack.page.fill('#f-user', userKey);
      expect(await shownUsersAndTypes(stack.page)).toEqual([[userKey, 'Order Completed']]);
      await stack.page.fill('#f-user', anonymousId);
      expect(await shownUsersAndTypes(stack.page)).toEqual([[anonymousId, '$page']]);
      await stack.page.fill('#f-user', '');
    });

    it('lists a poison message with its reason and raw body in the failed view', async () => {
      stack.broker.channel.sendToQueue(stack.config.queueName, Buffer.from('not json <b>at all</b>'), {
        persistent: true,
      });
      await stack.broker.channel.waitForConfirms();

      await stack.page.click('#tab-failed');

      const failedRow = stack.page.locator('#failed tr', { hasText: 'not json' });
      await failedRow.waitFor({ timeout: 10_000 });
      await expect(failedRow.locator('td').nth(2).textContent()).resolves.toMatch(/^message body is not JSON/);
      // Shown as text, never parsed as HTML.
      await expect(failedRow.locator('pre').textContent()).resolves.toBe('not json <b>at all</b>');
      expect(await failedRow.locator('b').count()).toBe(0);
      expect(await stack.page.isVisible('#view-events')).toBe(false);
    });

    it('shows queue depth, DLQ depth, failed events, stored per minute and the newest event age', async () => {
      await stack.page.click('#tab-events');

      await stack.page.locator('#t-failed', { hasText: /^1$/ }).waitFor({ timeout: 10_000 });
      await expect(stack.page.textContent('#t-queue')).resolves.toMatch(/^\d+$/);
      await expect(stack.page.textContent('#t-dlq')).resolves.toMatch(/^\d+$/);
      await expect(stack.page.textContent('#t-rate')).resolves.toMatch(/^\d+$/);
      await expect(stack.page.textContent('#t-age')).resolves.toMatch(/^(< 1 s|\d+ s|\d+ min)$/);
      expect(await stack.page.locator('#t-spark i').count()).toBe(15);

      await eventRow(stack.page, (await shownEventIds(stack.page))[1] as string).click();
      mkdirSync('docs', { recursive: true });
      await stack.page.screenshot({ path: SCREENSHOT });
    });

    it('loads nothing from another origin and runs without script errors or CSP violations', () => {
      const foreign = stack.requests.filter((request) => !request.url.startsWith(stack.offline.baseUrl));
      expect(foreign).toEqual([]);
      expect(stack.problems).toEqual([]);
    });
  });

  describe('with READ_API_KEYS set', () => {
    const readKey = 'debugger-e2e-read-key-0123';
    const stack = startStack('debugger_keys', () => browser, { READ_API_KEYS: readKey });

    it('answers the data endpoints 401 without a key, as the read API does', async () => {
      for (const path of ['/api/v1/debugger/events', '/api/v1/debugger/failed', '/api/v1/users/1/activities']) {
        const response = await fetch(`${stack.offline.baseUrl}${path}`);
        expect(response.status).toBe(401);
        expect(await response.json()).toEqual({
          status: 401,
          error: 'Unauthorized',
          message: 'Missing API key: send Authorization: Bearer <key>',
          details: [],
        });
      }
    });

    it('asks for the key, refuses a wrong one, then shows the events with the right one', async () => {
      const [eventId] = await sendAndStore(stack, [{ user_id: 9501, event_type: 'keyed' }]);

      await stack.page.locator('#key-form').waitFor({ state: 'visible', timeout: 5000 });
      await expect(stack.page.textContent('#key-error')).resolves.toMatch(/needs a read API key/);

      await stack.page.fill('#key', 'not-the-read-key-0123456');
      await stack.page.click('#key-form button');
      await stack.page.locator('#key-error', { hasText: 'refused' }).waitFor({ timeout: 5000 });

      await stack.page.fill('#key', readKey);
      await stack.page.click('#key-form button');
      await eventRow(stack.page, eventId!).waitFor({ timeout: SHOWN_WITHIN_MS });
      expect(await stack.page.isVisible('#key-form')).toBe(false);
    });

    it('sends the key only as a Bearer header, never in a URL', () => {
      const keyed = stack.requests.filter((request) => request.authorization === `Bearer ${readKey}`);
      expect(keyed.length).toBeGreaterThan(0);
      expect(keyed.every((request) => new URL(request.url).pathname.startsWith('/api/v1/'))).toBe(true);
      expect(stack.requests.filter((request) => request.url.includes(readKey))).toEqual([]);
      expect(stack.offline.output).not.toContain(readKey);
      expect(stack.problems).toEqual([]);
    });
  });
});
