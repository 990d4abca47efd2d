import { randomUUID } from 'node:crypto';
import Rudder from '@rudderstack/rudder-sdk-node';
import { Analytics } from '@segment/analytics-node';
import { Analytics as AnalyticsV2 } from 'segment-analytics-node-2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nameBasedUuid } from '../../lib/activity/name-based-uuid.js';
import { serviceConfig } from '../../tools/env.js';
import { eventually, sleep } from '../../tools/services.js';
import { basicAuth } from '../factories.js';
import { type OfflineStack, useOfflineStack } from '../support/offline-stack.js';
import { type Exchange, RecordingPassThrough } from '../support/recording-pass-through.js';
import { TcpProxy, viaProxy } from '../support/tcp-proxy.js';

/**
 * The real analytics SDKs, unmodified, against serverless offline's Segment-compatible endpoints (functions/segment).
 * Each talks to the server through a recording pass-through, so a test sees what the SDK sent and was answered.
 */

const WRITE_KEY = 'e2e-segment-write-key-0123456789';

/** An event of a batch as an SDK sent it. */
interface SentEvent {
  messageId: string;
  type: string;
  event?: string;
  userId?: string;
  anonymousId?: string;
  originalTimestamp?: string;
}

interface SentBatch {
  batch: SentEvent[];
  writeKey?: string;
}

interface ActivityRow {
  event_id: string;
  user_id: number;
  user_key: string | null;
  anonymous_id: string | null;
  event_type: string;
  occurred_at: string;
  metadata: Record<string, unknown>;
}

const batchOf = (exchange: Exchange): SentBatch => exchange.body as SentBatch;

const messageIdsOf = (exchange: Exchange): string[] => batchOf(exchange).batch.map((event) => event.messageId);

/** The events of every batch the server accepted. */
const acceptedEvents = (passThrough: RecordingPassThrough): SentEvent[] =>
  passThrough.exchanges.filter((exchange) => exchange.status === 200).flatMap((exchange) => batchOf(exchange).batch);

const saysSuccess = (body: string): boolean => {
  try {
    return (JSON.parse(body) as { success?: unknown }).success === true;
  } catch {
    return false;
  }
};

/**
 * The server's answers, in order: the status, except that a 200 whose body does not say `success` is shown with its
 * body. (serverless offline answers 200 when a handler throws, with the error as the body, so a status alone can lie.)
 */
const answersOf = (passThrough: RecordingPassThrough): Array<number | string> =>
  passThrough.exchanges.map(({ status, responseBody }) =>
    status === 200 && !saysSuccess(responseBody) ? `200 ${responseBody.slice(0, 300)}` : status,
  );

/** Reads the stored rows of a stack, by Segment identity or by the messageId kept in metadata. */
const activityRows = (stack: OfflineStack) => {
  const select = async (where: string, params: unknown[]): Promise<ActivityRow[]> => {
    const rows = await stack.database.rows<ActivityRow & { metadata: string | object }>(
      `SELECT event_id, user_id, user_key, anonymous_id, event_type, occurred_at, metadata
       FROM user_activities WHERE ${where} ORDER BY id`,
      params,
    );
    // mysql2 parses a column the server calls JSON; MariaDB's JSON is LONGTEXT underneath and may arrive as text.
    return rows.map((row) => ({
      ...row,
      metadata: typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata,
    })) as ActivityRow[];
  };
  const withMessageIds = (ids: string[]) => select("JSON_UNQUOTE(JSON_EXTRACT(metadata, '$.messageId')) IN (?)", [ids]);
  return {
    withMessageIds,
    ofUser: (userKey: string) => select('user_key = ?', [userKey]),
    ofAnonymous: (anonymousId: string) => select('anonymous_id = ?', [anonymousId]),
    /** Waits for a row per message id, gives a duplicate time to show itself, then reads them. */
    async settled(ids: string[], timeoutMs = 10_000): Promise<ActivityRow[]> {
      await eventually(async () => (await withMessageIds(ids)).length >= ids.length, timeoutMs, 100);
      await sleep(500);
      return withMessageIds(ids);
    },
  };
};

const messageIdsOfRows = (rows: ActivityRow[]): string[] => rows.map((row) => String(row.metadata.messageId)).sort();

/** In a `describe`: a recording pass-through in front of the stack's serverless offline, emptied before each test. */
const usePassThrough = (stack: OfflineStack) => {
  const link = {} as { passThrough: RecordingPassThrough };
  beforeAll(async () => {
    link.passThrough = await RecordingPassThrough.start(stack.offline.baseUrl);
  });
  beforeEach(() => link.passThrough.reset());
  afterAll(async () => {
    await link.passThrough?.stop();
  });
  return link;
};

describe('@segment/analytics-node 3.1 (write key as HTTP Basic auth and in the body)', () => {
  const stack = useOfflineStack('segment_v3');
  const rows = activityRows(stack);
  const sdk = usePassThrough(stack);

  it('stores a track, an identify and a page of a user, and an anonymous track, once each', async () => {
    const userId = `user-${randomUUID()}`;
    const anonymousId = `anon-${randomUUID()}`;
    const analytics = new Analytics({ writeKey: WRITE_KEY, host: sdk.passThrough.url, path: '/v1/batch' });
    const failures: unknown[] = [];
    analytics.on('error', (error) => failures.push(error));

    analytics.track({ userId, event: 'Order Completed', properties: { total: 42.5 } });
    analytics.identify({ userId, traits: { plan: 'pro' } });
    analytics.page({ userId, name: 'Pricing', properties: { path: '/pricing' } });
    analytics.track({ anonymousId, event: 'Signed Up' });
    await analytics.closeAndFlush();

    expect(answersOf(sdk.passThrough)).toEqual([200]);
    expect(failures).toEqual([]);
    const [exchange] = sdk.passThrough.exchanges as [Exchange];
    expect(exchange.path).toBe('/v1/batch');
    expect(exchange.headers.authorization).toBe(basicAuth(WRITE_KEY));
    expect(batchOf(exchange).writeKey).toBe(WRITE_KEY);

    const sent = acceptedEvents(sdk.passThrough);
    const stored = await rows.settled(sent.map((event) => event.messageId));
    expect(messageIdsOfRows(stored)).toEqual(sent.map((event) => event.messageId).sort());
    for (const row of stored) {
      expect(row.event_id).toBe(nameBasedUuid(`${WRITE_KEY}\n${row.metadata.messageId}`));
      for (const removed of ['writeKey', 'userId', 'anonymousId', 'event'])
        expect(row.metadata).not.toHaveProperty(removed);
    }

    const ofUser = await rows.ofUser(userId);
    expect(ofUser.map(({ event_type, user_id, anonymous_id }) => ({ event_type, user_id, anonymous_id }))).toEqual([
      { event_type: 'Order Completed', user_id: 0, anonymous_id: null },
      { event_type: '$identify', user_id: 0, anonymous_id: null },
      { event_type: '$page', user_id: 0, anonymous_id: null },
    ]);
    expect(ofUser.map((row) => row.metadata)).toEqual([
      expect.objectContaining({ type: 'track', properties: { total: 42.5 } }),
      expect.objectContaining({ type: 'identify', traits: { plan: 'pro' } }),
      expect.objectContaining({ type: 'page', name: 'Pricing', properties: { path: '/pricing' } }),
    ]);
    const ofAnonymous = await rows.ofAnonymous(anonymousId);
    expect(ofAnonymous.map(({ event_type, user_id, user_key }) => ({ event_type, user_id, user_key }))).toEqual([
      { event_type: 'Signed Up', user_id: 0, user_key: null },
    ]);
  });

  it('stores a userId that is a positive integer string in user_id as well', async () => {
    const userId = String(100_000 + Math.floor(Math.random() * 1_000_000));
    const analytics = new Analytics({ writeKey: WRITE_KEY, host: sdk.passThrough.url, path: '/v1/batch' });

    analytics.identify({ userId, traits: { plan: 'free' } });
    await analytics.closeAndFlush();

    await eventually(async () => (await rows.ofUser(userId)).length > 0, 10_000, 100);
    expect((await rows.ofUser(userId)).map(({ user_id, user_key }) => ({ user_id, user_key }))).toEqual([
      { user_id: Number(userId), user_key: userId },
    ]);
  });
});

describe('@segment/analytics-node 2.x (write key in the body only) with API_KEYS set', () => {
  const stack = useOfflineStack('segment_v2', { env: { API_KEYS: WRITE_KEY } });
  const rows = activityRows(stack);
  const sdk = usePassThrough(stack);

  it('is accepted on the body’s writeKey alone, and each event is stored once', async () => {
    const userId = `user-${randomUUID()}`;
    const analytics = new AnalyticsV2({ writeKey: WRITE_KEY, host: sdk.passThrough.url, path: '/v1/batch' });

    analytics.track({ userId, event: 'Report Exported' });
    analytics.identify({ userId, traits: { plan: 'team' } });
    await analytics.closeAndFlush();

    expect(answersOf(sdk.passThrough)).toEqual([200]);
    const [exchange] = sdk.passThrough.exchanges as [Exchange];
    expect(exchange.headers.authorization).toBeUndefined();
    expect(batchOf(exchange).writeKey).toBe(WRITE_KEY);
    const sent = acceptedEvents(sdk.passThrough).map((event) => event.messageId);
    const stored = await rows.settled(sent);
    expect(messageIdsOfRows(stored)).toEqual([...sent].sort());
    expect((await rows.ofUser(userId)).map((row) => row.event_type)).toEqual(['Report Exported', '$identify']);
  });

  it('is answered 401 for a wrong write key, and nothing is stored', async () => {
    const userId = `user-${randomUUID()}`;
    const analytics = new AnalyticsV2({
      writeKey: 'not-a-valid-write-key-0123',
      host: sdk.passThrough.url,
      path: '/v1/batch',
    });
    const failures: unknown[] = [];
    analytics.on('error', (error) => failures.push(error));

    analytics.track({ userId, event: 'Report Exported' });
    await analytics.closeAndFlush();

    // analytics-node 2.x retries a 401 like any other failure (maxRetries, 3 by default), so there may be several.
    const answers = answersOf(sdk.passThrough);
    expect(answers.length).toBeGreaterThan(0);
    expect(new Set(answers)).toEqual(new Set([401]));
    expect(failures).toHaveLength(1);
    await sleep(1000);
    expect(await rows.ofUser(userId)).toEqual([]);
  });
});

describe('@rudderstack/rudder-sdk-node (gzipped bodies, write key as HTTP Basic auth)', () => {
  const stack = useOfflineStack('segment_rudder');
  const rows = activityRows(stack);
  const sdk = usePassThrough(stack);

  it('stores each event once, with occurred_at taken from the event’s originalTimestamp', async () => {
    const userId = `user-${randomUUID()}`;
    const errors: string[] = [];
    const rudder = new Rudder(WRITE_KEY, {
      dataPlaneUrl: sdk.passThrough.url,
      errorHandler: (error) => errors.push(String(error)),
    });
    // An event recorded a while ago and sent now: the SDK keeps an originalTimestamp it is given.
    const recordedEarlier = { userId, event: 'Cart Viewed', originalTimestamp: new Date(Date.now() - 3_600_000) };

    rudder.track({ userId, event: 'Product Viewed', properties: { sku: 'A-1' } });
    rudder.identify({ userId, traits: { plan: 'pro' } });
    rudder.page({ userId, name: 'Home' });
    rudder.track(recordedEarlier);
    await rudder.flush();

    // rudder-sdk-node sends the first event of its life at once, alone, and batches the rest.
    expect(answersOf(sdk.passThrough)).toEqual([200, 200]);
    expect(errors).toEqual([]);
    for (const exchange of sdk.passThrough.exchanges) {
      expect(exchange.path).toBe('/v1/batch');
      expect(exchange.headers['content-encoding']).toBe('gzip');
      expect(exchange.headers.authorization).toBe(basicAuth(WRITE_KEY));
      expect(batchOf(exchange).writeKey).toBeUndefined();
    }
    const sent = acceptedEvents(sdk.passThrough);
    const stored = await rows.settled(sent.map((event) => event.messageId));
    expect(messageIdsOfRows(stored)).toEqual(sent.map((event) => event.messageId).sort());
    const occurredAt = new Map(stored.map((row) => [row.metadata.messageId, `${row.occurred_at.replace(' ', 'T')}Z`]));
    expect(sent.map((event) => occurredAt.get(event.messageId))).toEqual(sent.map((event) => event.originalTimestamp));
    expect(sent.map((event) => event.originalTimestamp)).toContain(recordedEarlier.originalTimestamp.toISOString());
    expect(stored.map((row) => row.event_type).sort()).toEqual(['$identify', '$page', 'Cart Viewed', 'Product Viewed']);
  });
});

describe('a batch answered 503 while the broker link is down', () => {
  // serverless offline reaches RabbitMQ through this proxy, so the test can cut its link alone.
  let rabbitProxy: TcpProxy;
  beforeAll(async () => {
    rabbitProxy = await TcpProxy.inFrontOf(serviceConfig().rabbitmqUrl, 5672);
  });
  afterAll(async () => {
    await rabbitProxy?.stop();
  });
  const stack = useOfflineStack('segment_retry', {
    env: {
      PUBLISH_TIMEOUT_MS: '2000',
      // A getter, read when the stack starts: the proxy is listening by then.
      get RABBITMQ_URL() {
        return viaProxy(serviceConfig().rabbitmqUrl, rabbitProxy);
      },
    },
  });
  const rows = activityRows(stack);
  const sdk = usePassThrough(stack);

  /** Cuts the broker link; the first 503 reaches the SDK only once it is back, so the retry meets a working server. */
  const cutLinkUntilFirst503 = () => {
    rabbitProxy.cut();
    sdk.passThrough.beforeAnswer = async ({ status }) => {
      if (status !== 503) return;
      rabbitProxy.heal();
      await eventually(async () => (await fetch(`${stack.offline.baseUrl}/health`)).status === 200, 20_000, 200);
    };
  };

  /** The refused batch and its retry: the same events, stored once each. */
  const expectRetriedAndStoredOnce = async () => {
    expect(answersOf(sdk.passThrough)).toEqual([503, 200]);
    const [refused, retried] = sdk.passThrough.exchanges as [Exchange, Exchange];
    expect(refused.responseHeaders['retry-after']).toBeDefined();
    expect(messageIdsOf(retried)).toEqual(messageIdsOf(refused));
    // The poller's own link was cut too; it reconnects by itself, within its 5 s back-off.
    const stored = await rows.settled(messageIdsOf(retried), 30_000);
    expect(messageIdsOfRows(stored)).toEqual(messageIdsOf(retried).sort());
    return { refused, retried };
  };

  it('is retried by @segment/analytics-node 3.1 and then stored once', async () => {
    const userId = `user-${randomUUID()}`;
    // Its back-off is fixed (first retry after 1 to 2 s); only the retry count can be set.
    const analytics = new Analytics({ writeKey: WRITE_KEY, host: sdk.passThrough.url, path: '/v1/batch' });

    cutLinkUntilFirst503();
    analytics.track({ userId, event: 'Checkout Started' });
    analytics.track({ userId, event: 'Payment Info Entered' });
    analytics.identify({ userId, traits: { plan: 'pro' } });
    await analytics.closeAndFlush();

    const { refused, retried } = await expectRetriedAndStoredOnce();
    expect(refused.headers['x-retry-count']).toBeUndefined();
    expect(retried.headers['x-retry-count']).toBe('1');
  }, 60_000);

  it('is retried by rudder-sdk-node and then stored once', async () => {
    const userId = `user-${randomUUID()}`;
    const errors: string[] = [];
    const rudder = new Rudder(WRITE_KEY, {
      dataPlaneUrl: sdk.passThrough.url,
      errorHandler: (error) => errors.push(String(error)),
      // axios-retry would otherwise wait for the answer's Retry-After (5 s).
      axiosRetryConfig: { retryDelay: () => 100 },
      // It logs every failed attempt as an error; this one is expected.
      logLevel: 'none',
    });

    cutLinkUntilFirst503();
    rudder.track({ userId, event: 'Checkout Started' }); // the first event goes at once, alone
    await rudder.flush();

    await expectRetriedAndStoredOnce();
    expect(errors).toEqual([]);
  }, 60_000);
});
