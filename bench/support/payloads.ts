import { randomUUID } from 'node:crypto';
import type { ActivityMessage } from '../../lib/activity/activity-schema.js';

/** The README's example event: what every HTTP measurement sends. */
export const trackPayload = {
  user_id: 123,
  event_type: 'login',
  timestamp: '2026-02-19T10:00:00',
  metadata: { browser: 'Chrome', ip: '192.168.1.1' },
};

export const trackBody = JSON.stringify(trackPayload);

/**
 * Users 1..USERS: P1 and the P3 preloads spread their events over them, so that with N shards every queue gets its
 * share (FNV-1a puts 252/249/249/250 of them on four queues); one user would put all traffic on one shard.
 */
const USERS = 1000;

/** The example event once per user, cycled through by P1's connections. */
export const trackBodies: string[] = Array.from({ length: USERS }, (_, i) =>
  JSON.stringify({ ...trackPayload, user_id: i + 1 }),
);

export const batchBody = (size: number): string =>
  JSON.stringify({ events: Array.from({ length: size }, () => trackPayload) });

/** The write key the SDK bodies carry (the bench service runs without API_KEYS, so any key is taken). */
const SDK_WRITE_KEY = 'bench-sdk-write-key';

/**
 * `count` Segment batch bodies (POST /v1/batch) of `size` track calls each, as analytics-node 3.1 posts them (its
 * batch captured off the wire: `integrations`, the library's `context`, `_metadata`, the write key and `sentAt` on the
 * batch): P2's event with the example's metadata as properties, the users in turn, timestamped now. Each messageId
 * holds `[<id>]`, which the load generator (uniqueIds) replaces with a fresh id on every request, so every call sent
 * is a new event.
 */
export const segmentBatchBodies = (count: number, size: number): string[] => {
  const now = new Date().toISOString();
  const call = (n: number) => ({
    timestamp: now,
    integrations: {},
    event: 'bench_click',
    type: 'track',
    properties: trackPayload.metadata,
    context: { library: { name: '@segment/analytics-node', version: '3.1.0' } },
    userId: String((n % USERS) + 1),
    messageId: `node-next-[<id>]`,
    _metadata: { nodeVersion: 'v20.20.2', jsRuntime: 'node' },
  });
  const batch = (request: number) => Array.from({ length: size }, (_, i) => call(request * size + i));
  return Array.from({ length: count }, (_, request) =>
    JSON.stringify({ batch: batch(request), writeKey: SDK_WRITE_KEY, sentAt: now }),
  );
};

/**
 * `count` bodies of `size` track calls as analytics.js 2.0 (`@segment/analytics-next` 1.84) posts them to /v1/b with
 * its batching strategy: text/plain, the write key in the body and in every call, `_metadata`, the library's context,
 * and `sentAt` on the batch only (its src/plugins/segmentio/batched-dispatcher.ts and normalize.ts). Fresh messageIds
 * on every request, as in segmentBatchBodies.
 */
export const browserBatchBodies = (count: number, size: number): string[] => {
  const now = new Date().toISOString();
  const call = (n: number) => ({
    type: 'track',
    event: 'bench_click',
    properties: trackPayload.metadata,
    userId: String((n % USERS) + 1),
    anonymousId: `anon-${(n % USERS) + 1}`,
    messageId: `ajs-next-[<id>]`,
    timestamp: now,
    integrations: {},
    context: {
      library: { name: 'analytics.js', version: 'next-1.84.3' },
      page: { path: '/shop', url: 'https://shop.example.com/shop', title: 'Shop', referrer: '', search: '' },
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0',
      locale: 'en-US',
    },
    writeKey: SDK_WRITE_KEY,
    _metadata: { bundled: ['Segment.io'], unbundled: [], bundledIds: [] },
  });
  const batch = (request: number) => Array.from({ length: size }, (_, i) => call(request * size + i));
  return Array.from({ length: count }, (_, request) =>
    JSON.stringify({ writeKey: SDK_WRITE_KEY, batch: batch(request), sentAt: now }),
  );
};

/** The queued message `track` makes of `trackPayload`, for a random user: what B1 publishes and P3 preloads. */
export const activityMessage = (): ActivityMessage => ({
  event_id: randomUUID(),
  user_id: 1 + Math.floor(Math.random() * USERS),
  event_type: trackPayload.event_type,
  timestamp: '2026-02-19T10:00:00.000Z',
  metadata: trackPayload.metadata,
  received_at: new Date().toISOString(),
});
