import { randomUUID } from 'node:crypto';

/**
 * B0's function: answers what `track` answers, without validating or publishing anything, so the benchmark sees
 * what serverless offline itself costs per request (routing, building the Lambda event, running the handler).
 */
export const handler = async () => ({
  statusCode: 202,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ status: 'accepted', event_id: randomUUID() }),
});
