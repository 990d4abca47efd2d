import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { drizzle } from 'drizzle-orm/mysql2';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDrizzleStore } from '../../lib/db/activity-store.js';
import { DEBUGGER_ANSWER_MAX_BYTES } from '../../lib/http/debugger-schemas.js';
import { DEBUGGER_PREVIEW_CHARS } from '../../lib/ports.js';
import { launchChromium, withoutChromium } from '../../tools/chromium.js';
import { OfflineProcess } from '../../tools/offline.js';
import { runConfig, runEnv } from '../../tools/run-config.js';
import { Broker, Database, eventually, sleep } from '../../tools/services.js';
import { activityMessage } from '../factories.js';
import { detailJson, eventRow } from '../support/debugger-page.js';

const SCREENSHOT = 'docs/debugger.png';
// The page polls every second; "about 2 s" from stored to shown, with room for a slow request.
const SHOWN_WITHIN_MS = 3000;

/** An answer the page got from the service: its path and query, status, body and when it came. */
interface Answer {
  path: string;
  query: URLSearchParams;
  status: number;
  body: string;
  bytes: number;
  at: number;
}

/**
 * serverless offline on a queue and database of its own, and a browser page on its /debugger; `seed` fills the
 * database before the page opens.
 */
const startStack = (
  name: string,
  browser: () => Browser,
  { env = {}, seed }: { env?: Record<string, string>; seed?: (database: Database) => Promise<void> } = {},
) => {
  const config = runConfig(name);
  const stack = { config } as {
    config: typeof config;
    offline: OfflineProcess;
    database: Database;
    broker: Broker;
    page: Page;
    /** Requests the page made, the answers it got, and what went wrong in it (script errors, CSP violations). */
    requests: Array<{ url: string; authorization: string | undefined; at: number }>;
    answers: Answer[];
    problems: string[];
  };
  beforeAll(async () => {
    stack.database = await Database.create(config);
    await seed?.(stack.database);
    stack.broker = await Broker.open(config);
    stack.offline = await OfflineProcess.start({ env: { ...runEnv(config), ...env } });
    stack.page = await browser().newPage({ viewport: { width: 1200, height: 800 } });
    stack.requests = [];
    stack.answers = [];
    stack.problems = [];
    stack.page.on('request', (request) =>
      stack.requests.push({ url: request.url(), authorization: request.headers().authorization, at: Date.now() }),
    );
    stack.page.on('response', async (response) => {
      const url = new URL(response.url());
      if (!url.pathname.startsWith('/api/')) return;
      const body = await response.text().catch(() => '');
      const bytes = Buffer.byteLength(body);
      stack.answers.push({
        path: url.pathname,
        query: url.searchParams,
        status: response.status(),
        body,
        bytes,
        at: Date.now(),
      });
    });
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

/** The event_ids the events table shows, top to bottom. */
const shownEventIds = (page: Page) =>
  page.locator('#events tr td:nth-child(6)').evaluateAll((cells) => cells.map((cell) => cell.textContent));

/** Makes the page's tab hidden or visible, as switching tabs or minimising does (headless Chromium is always visible). */
const setVisibility = (page: Page, state: 'hidden' | 'visible') =>
  page.evaluate(`{
    if (${state === 'hidden'}) Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    else delete document.visibilityState;
    document.dispatchEvent(new Event('visibilitychange'));
  }`);

const EMPTY_ANSWER = JSON.stringify({ data: [], more: false });

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

      const shown = await detailJson(stack.page, eventId!);
      const readApi = await fetch(`${stack.offline.baseUrl}/api/v1/events/${eventId}`);
      const fromReadApi = (await readApi.json()) as Record<string, unknown>;
      const [row] = await stack.database.rows<{ id: number }>('SELECT id FROM user_activities WHERE event_id = ?', [
        eventId,
      ]);
      expect(shown).toEqual({ id: row!.id, stored_at: expect.stringMatching(/Z$/), ...fromReadApi });
      expect(shown.metadata).toEqual({ step: 0, page: '/shop/0' });
      await expect(eventRow(stack.page, eventId!).getAttribute('class')).resolves.toBe('selected');
    });

    it('lists a preview of a large metadata, and shows it whole when the event is opened', async () => {
      const metadata = { note: 'n'.repeat(20_000), step: 1 };
      const response = await stack.offline.post('/api/v1/events/track', {
        user_id: 9402,
        event_type: 'large_metadata',
        timestamp: new Date().toISOString(),
        metadata,
      });
      const { event_id: eventId } = (await response.json()) as { event_id: string };
      await eventRow(stack.page, eventId).waitFor({ timeout: 10_000 });

      const preview = await eventRow(stack.page, eventId).locator('td').nth(6).textContent();
      await eventRow(stack.page, eventId).click();
      const shown = await detailJson(stack.page, eventId);

      expect(preview).toBe(`${`{"note":"${'n'.repeat(20_000)}`.slice(0, DEBUGGER_PREVIEW_CHARS)}\u2026`);
      expect(shown.metadata).toEqual(metadata);
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

    it('lists the regulations with their status and counts, without any subject id', async () => {
      const created = await stack.offline.post('/api/v1/regulations', {
        regulationType: 'SUPPRESS_ONLY',
        subjectType: 'ANONYMOUS_ID',
        subjectIds: ['anon-of-the-debugger-test'],
      });
      const { data } = (await created.json()) as { data: { regulateId: string } };

      await stack.page.click('#tab-regulations');

      const row = stack.page.locator('#regulations tr', { hasText: data.regulateId });
      await row.waitFor({ timeout: 10_000 });
      const texts = await row.locator('td').allTextContents();
      expect(texts.slice(1, 8)).toEqual([
        'SUPPRESS_ONLY',
        'ANONYMOUS_ID',
        'FINISHED',
        expect.any(String),
        '0',
        '0',
        '0',
      ]);
      expect(await stack.page.textContent('#view-regulations')).not.toContain('anon-of-the-debugger-test');
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

      const second = (await shownEventIds(stack.page))[1] as string;
      await eventRow(stack.page, second).click();
      await detailJson(stack.page, second);
      mkdirSync('docs', { recursive: true });
      await stack.page.screenshot({ path: SCREENSHOT });
    });

    it('once caught up, asks only for what is newer than the newest row it has, and is answered empty', async () => {
      await sleep(2000);
      const [{ newest } = { newest: 0 }] = await stack.database.rows<{ newest: number }>(
        'SELECT MAX(id) AS newest FROM user_activities',
      );
      const since = Date.now();

      await sleep(3000);

      const polls = stack.answers.filter((answer) => answer.at > since && answer.path === '/api/v1/debugger/events');
      const failedPolls = stack.answers.filter((a) => a.at > since && a.path === '/api/v1/debugger/failed');
      console.log(
        `debugger: an idle page's ${polls.length} polls of /events in 3 s answered ${polls.map((p) => p.bytes).join(', ')} bytes`,
      );
      expect(polls.length).toBeGreaterThanOrEqual(2);
      expect(polls.map((poll) => poll.query.get('after'))).toEqual(polls.map(() => String(newest)));
      expect([...polls, ...failedPolls].map((poll) => poll.body)).toEqual(
        [...polls, ...failedPolls].map(() => EMPTY_ANSWER),
      );
    });

    it('asks nothing while its tab is hidden, and asks at once when it is shown again', async () => {
      await setVisibility(stack.page, 'hidden');
      // A poll already on its way is answered; none is sent after it.
      await sleep(1500);
      const hiddenSince = Date.now();
      await sleep(3000);
      const whileHidden = stack.requests.filter((request) => request.at >= hiddenSince);

      const shown = stack.page.waitForRequest((request) => request.url().includes('/api/v1/debugger/events'), {
        timeout: 1000,
      });
      await setVisibility(stack.page, 'visible');

      expect(whileHidden).toEqual([]);
      await shown;
    });

    it('waits longer after each failed poll, and carries on when the service answers again', async () => {
      const eventsPath = '/api/v1/debugger/events';
      await stack.page.route(`**${eventsPath}?*`, (route) =>
        route.fulfill({ status: 500, contentType: 'application/json', body: '{"status":500}' }),
      );
      const since = Date.now();

      await stack.page.locator('#status', { hasText: `${eventsPath} answered 500` }).waitFor({ timeout: 3000 });
      await sleep(7000);
      const tries = stack.requests.filter((r) => r.at >= since && new URL(r.url).pathname === eventsPath);
      await stack.page.unroute(`**${eventsPath}?*`);

      // Every second without the backoff: 7 or 8; with it, 1 + 2 + 4 s between the first three.
      expect(tries.length).toBeGreaterThanOrEqual(2);
      expect(tries.length).toBeLessThanOrEqual(4);
      await stack.page.locator('#status', { hasText: 'live' }).waitFor({ timeout: 20_000 });
    });

    it('loads nothing from another origin and runs without script errors or CSP violations', () => {
      const foreign = stack.requests.filter((request) => !request.url.startsWith(stack.offline.baseUrl));
      expect(foreign).toEqual([]);
      expect(stack.problems).toEqual([]);
    });
  });

  describe('with 31 KB of metadata in every row and 60 KB failed bodies (issue 18)', () => {
    const ROWS = 600;
    const FAILED = 60;
    const KEEP = 500;
    const stack = startStack('debugger_large', () => browser, {
      seed: async (database) => {
        const store = createDrizzleStore(drizzle(database.connection));
        for (let i = 0; i < ROWS; i += 100) {
          await store.insertActivities(
            Array.from({ length: 100 }, (_, j) =>
              activityMessage({
                user_id: 0,
                user_key: `${'k'.repeat(200)}-${i + j}`,
                metadata: { row: i + j, blob: 'x'.repeat(31_000) },
              }),
            ),
          );
        }
        await store.insertFailedEvents(
          Array.from({ length: FAILED }, (_, i) => ({
            messageId: `big-${i}`,
            eventId: null,
            reason: 'message body is not JSON (error at position 0)',
            loggedReason: 'message body is not JSON (error at position 0)',
            rawBody: `${i} ${'y'.repeat(60_000)}`,
          })),
        );
      },
    });

    it('catches up in answers within the byte bound, then is answered empty, and the service stays up', async () => {
      // Arrange: the page opened on 600 rows of 31 KB metadata (18 MB) and 60 failed bodies of 60 KB (3.6 MB).
      await stack.page
        .locator('#events tr')
        .nth(KEEP - 1)
        .waitFor({ timeout: 20_000 });
      const caughtUp = Date.now();

      // Act: leave it open.
      await sleep(4000);

      // Assert
      const lists = stack.answers.filter((answer) => answer.path.startsWith('/api/v1/debugger/'));
      const events = lists.filter((answer) => answer.path === '/api/v1/debugger/events');
      const after = lists.filter((answer) => answer.at > caughtUp + 1500);
      const sizes = (answers: Answer[]) => answers.map((answer) => answer.bytes).join(', ');
      console.log(
        `debugger, 31 KB rows: /events answered ${sizes(events.filter((a) => a.at <= caughtUp))} bytes ` +
          `to catch up on ${KEEP} rows, then ${sizes(after)}; /failed first answered ` +
          `${lists.find((a) => a.path === '/api/v1/debugger/failed')?.bytes} bytes (bound ${DEBUGGER_ANSWER_MAX_BYTES})`,
      );
      expect(lists.every((answer) => answer.status === 200)).toBe(true);
      expect(Math.max(...lists.map((answer) => answer.bytes))).toBeLessThanOrEqual(DEBUGGER_ANSWER_MAX_BYTES);
      expect(after.length).toBeGreaterThanOrEqual(3);
      expect(after.map((answer) => answer.body)).toEqual(after.map(() => EMPTY_ANSWER));
      expect(await stack.page.locator('#events tr').count()).toBe(KEEP);
      expect((await fetch(`${stack.offline.baseUrl}/health/live`)).status).toBe(200);
    });

    it('opens an event with its whole 31 KB metadata', async () => {
      const [newest] = (await shownEventIds(stack.page)) as string[];

      await eventRow(stack.page, newest!).click();
      const shown = await detailJson(stack.page, newest!);

      expect(shown.metadata).toEqual({ row: ROWS - 1, blob: 'x'.repeat(31_000) });
    });

    it('lists the failed bodies cut, pages older ones, and shows one whole on request', async () => {
      const rawBody = `${FAILED - 1} ${'y'.repeat(60_000)}`;
      await stack.page.click('#tab-failed');
      const newest = stack.page.locator('#failed tr').first();
      await newest.waitFor({ timeout: 10_000 });

      const preview = await newest.locator('pre').textContent();
      await newest.locator('button', { hasText: 'Show all' }).click();
      await newest.locator('pre', { hasText: rawBody }).waitFor({ timeout: 5000 });
      await stack.page.click('#older');
      await stack.page
        .locator('#failed tr')
        .nth(FAILED - 1)
        .waitFor({ timeout: 5000 });
      // The next polls keep the whole body shown.
      await sleep(2500);

      expect(preview).toBe(`${rawBody.slice(0, DEBUGGER_PREVIEW_CHARS)}\u2026`);
      expect((await newest.locator('pre').textContent()) === rawBody).toBe(true);
      expect(await newest.locator('button').count()).toBe(0);
      expect(await stack.page.locator('#failed tr').count()).toBe(FAILED);
      expect(await stack.page.isVisible('#older')).toBe(false);
      expect(stack.problems).toEqual([]);
    });
  });

  describe('with READ_API_KEYS set', () => {
    const readKey = 'debugger-e2e-read-key-0123';
    const stack = startStack('debugger_keys', () => browser, { env: { READ_API_KEYS: readKey } });

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
