import { randomUUID } from 'node:crypto';

/**
 * B0's function: answers what `track` answers, without validating or publishing anything, so the benchmark sees
 * what serverless offline itself costs per request (routing, the worker thread hop, the Lambda event).
 */
export const handler = async () => ({
  statusCode: 202,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ status: 'accepted', event_id: randomUUID() }),
});
