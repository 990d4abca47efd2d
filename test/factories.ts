import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { ActivityMessage } from '../lib/activity/activity-schema.js';
import type { QueuedMessage } from '../lib/activity/queued-message.js';
import { intakeSteps } from '../lib/intake/steps.js';
import type { RmqBasicProperties, RmqEvent } from '../lib/rabbitmq/rmq-event.js';

/** The seed README's curl payload. */
export const seedPayload = {
  user_id: 123,
  event_type: 'login',
  timestamp: '2026-02-19T10:00:00',
  metadata: { browser: 'Chrome', ip: '192.168.1.1' },
};

/** An API Gateway HTTP API (payload 2.0) event, as serverless-offline and AWS deliver it. */
export const httpEvent = ({
  method = 'POST',
  path = '/api/v1/events/track',
  body,
  headers = { 'content-type': 'application/json' },
  isBase64Encoded = false,
}: {
  method?: string;
  path?: string;
  body?: unknown;
  headers?: Record<string, string>;
  isBase64Encoded?: boolean;
} = {}) => ({
  version: '2.0',
  routeKey: `${method} ${path}`,
  rawPath: path,
  rawQueryString: '',
  headers,
  requestContext: {
    accountId: 'offlineContext_accountId',
    apiId: 'offlineContext_apiId',
    domainName: 'localhost',
    domainPrefix: 'localhost',
    http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
    requestId: randomUUID(),
    routeKey: `${method} ${path}`,
    stage: '$default',
    time: new Date().toUTCString(),
    timeEpoch: Date.now(),
  },
  body: body === undefined || typeof body === 'string' ? body : JSON.stringify(body),
  isBase64Encoded,
});

/** The Authorization header Segment's SDKs send: HTTP Basic with the write key as user name, no password. */
export const basicAuth = (writeKey: string): string => `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;

/** A message as track puts it on the queue. */
export const activityMessage = (overrides: Partial<ActivityMessage> = {}): ActivityMessage => ({
  event_id: randomUUID(),
  user_id: 42,
  event_type: 'page_view',
  timestamp: '2026-02-19T10:00:00.123Z',
  metadata: { path: '/home' },
  received_at: '2026-02-19T10:00:01.000Z',
  ...overrides,
});

/** A message serialised for the queue, as the intake's storable step does for the events it accepts. */
export const toQueuedMessage = (message: ActivityMessage): QueuedMessage => ({
  message,
  body: Buffer.from(JSON.stringify(message)),
});

/** An Amazon MQ (RabbitMQ) event: bodies may be messages, raw strings or raw bytes. */
export const rmqEvent = (
  bodies: Array<ActivityMessage | string | Buffer>,
  queue = 'user_activity_events',
): RmqEvent => ({
  eventSource: 'aws:rmq',
  eventSourceArn: 'arn:aws:mq:eu-west-1:000000000000:broker:test:b-0',
  rmqMessagesByQueue: {
    [`${queue}::/`]: bodies.map((body) => {
      const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      const messageId = typeof body === 'object' && !Buffer.isBuffer(body) ? body.event_id : null;
      return {
        basicProperties: { contentType: 'application/json', deliveryMode: 2, messageId, bodySize: bytes.length },
        redelivered: false,
        data: bytes.toString('base64'),
      };
    }),
  },
});

/** An Amazon MQ (RabbitMQ) event of raw messages with the AMQP properties given (as another producer sets them). */
export const rmqEventOf = (
  messages: Array<{ body: unknown; properties?: RmqBasicProperties }>,
  queue = 'user_activity_events',
): RmqEvent => ({
  eventSource: 'aws:rmq',
  eventSourceArn: 'arn:aws:mq:eu-west-1:000000000000:broker:test:b-0',
  rmqMessagesByQueue: {
    [`${queue}::/`]: messages.map(({ body, properties = {} }) => {
      const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      return {
        basicProperties: { ...properties, bodySize: bytes.length },
        redelivered: false,
        data: bytes.toString('base64'),
      };
    }),
  },
});

export const lambdaContext = (): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:test',
  memoryLimitInMB: '512',
  awsRequestId: randomUUID(),
  logGroupName: '/aws/lambda/test',
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** What persist decodes with (functions/persist/handler.ts): the default limit and the intake's steps. */
export const decodeRules = (maxBytes = 64 * 1024) => ({ maxBytes, steps: intakeSteps({ maxMessageBytes: maxBytes }) });
