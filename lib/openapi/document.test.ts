import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderOpenApiYaml } from '../../scripts/openapi.js';
import { openApiErrors } from '../../test/support/openapi-schemas.js';
import { batchRequestSchema, trackRequestSchema } from '../activity/activity-schema.js';
import { segmentBatchSchema, segmentCallSchema } from '../activity/segment-schema.js';
import { compileSchema, toFieldErrors } from '../activity/validation.js';
import { DEBUGGER_PREVIEW_CHARS } from '../ports.js';
import { buildOpenApiDocument } from './document.js';

const validateTrack = compileSchema(trackRequestSchema);
const validateSegmentBatch = compileSchema(segmentBatchSchema);
const validateSegmentCall = compileSchema(segmentCallSchema);

describe('OpenAPI document', () => {
  const document = buildOpenApiDocument() as {
    components: { schemas: Record<string, unknown> };
    paths: Record<string, unknown>;
  };

  it('is the committed openapi.yaml (run `npm run openapi` after changing a schema)', () => {
    expect(readFileSync('openapi.yaml', 'utf8')).toBe(renderOpenApiYaml());
  });

  it('names every operation with an operationId of its own, and resolves every $ref within the document', () => {
    const ids = Object.values(document.paths).flatMap((operations) =>
      Object.values(operations as Record<string, { operationId?: string }>).map((operation) => operation.operationId),
    );
    expect(ids.filter((id) => !id)).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(refs.filter((ref) => !ref.startsWith('#/components/schemas/'))).toEqual([]);
    for (const ref of refs) expect(document.components.schemas, ref).toHaveProperty([ref.split('/').at(-1) ?? '']);
  });

  it('documents every route of serverless.yml', () => {
    const routes = [...readFileSync('serverless.yml', 'utf8').matchAll(/path: (\S+)/g)].map((m) => m[1]);
    expect(Object.keys(document.paths).sort()).toEqual([...new Set(routes)].sort());
  });

  it('describes the event with the validator schema itself (ajv-errors messages removed, metadata a component)', () => {
    const strip = (value: unknown): unknown =>
      JSON.parse(JSON.stringify(value, (key, v) => (key === 'errorMessage' ? undefined : v)));
    const { metadata: _, ...properties } = trackRequestSchema.properties;
    expect(document.components.schemas.TrackEvent).toEqual({
      ...(strip(trackRequestSchema) as object),
      properties: { ...(strip(properties) as object), metadata: { $ref: '#/components/schemas/Metadata' } },
    });
    expect((document.components.schemas.BatchRequest as { required: unknown }).required).toEqual(
      batchRequestSchema.required,
    );
  });

  const nest = (levels: number): object => (levels === 1 ? { leaf: 1 } : { n: nest(levels - 1) });
  const base = { user_id: 1, event_type: 'a', timestamp: '2026-02-19T10:00:00' };

  it.each([
    ['the seed payload', base],
    ['many wrong fields', { user_id: 1.5, event_type: '', timestamp: 'x', extra: 1 }],
    ['metadata 10 levels deep', { ...base, metadata: nest(10) }],
    ['metadata 11 levels deep', { ...base, metadata: nest(11) }],
    [
      'a __proto__ key',
      JSON.parse('{"user_id":1,"event_type":"a","timestamp":"2026-02-19T10:00:00Z","metadata":{"__proto__":1}}'),
    ],
  ])('accepts and rejects what the validator does: %s', (_case, payload) => {
    const fromValidator = validateTrack(payload) ? [] : toFieldErrors(validateTrack.errors);
    const fromDocument = openApiErrors('TrackEvent', payload);
    expect((fromDocument ?? []).length === 0).toBe(fromValidator.length === 0);
  });

  const call = { type: 'track', event: 'Signed Up', userId: 'u-1', messageId: 'm-1' };
  it.each([
    ['an SDK batch', { batch: [call, { type: 'identify', userId: 'u-1', traits: { plan: 'pro' } }], writeKey: 'k' }],
    ['2,501 calls', { batch: Array.from({ length: 2501 }, () => call) }],
    ['an empty batch', { batch: [] }],
    ['a call without a type', { batch: [{ event: 'x', userId: 'u' }] }],
    ['a call of an unknown type', { batch: [{ ...call, type: 'purchase' }] }],
    ['no batch array', { calls: [call] }],
  ])('describes a Segment batch as the handler checks it: %s', (_case, body) => {
    // The handler checks the envelope, then each call on its own; the document says both at once.
    const calls = (body as { batch?: unknown[] }).batch ?? [];
    const valid = validateSegmentBatch(body) && calls.every((c) => validateSegmentCall(c));
    expect((openApiErrors('SegmentBatch', body) ?? []).length === 0).toBe(valid);
  });

  const preview = {
    id: 7,
    stored_at: '2026-02-19T10:00:01.234Z',
    event_id: '3f0c7f8e-5b1d-4c36-9a53-0e6c2f4b7d21',
    user_id: 1,
    event_type: 'login',
    timestamp: '2026-02-19T10:00:00.000Z',
    received_at: '2026-02-19T10:00:00.500Z',
    sent_at: null,
    corrected_at: null,
    metadata_preview: 'x'.repeat(DEBUGGER_PREVIEW_CHARS),
    truncated: true,
  };
  it.each([
    ['a list of previews', { data: [preview], more: false }, true],
    ['an empty list', { data: [], more: false }, true],
    ['a list without `more`', { data: [preview] }, false],
    [
      'a preview longer than its bound',
      { data: [{ ...preview, metadata_preview: 'x'.repeat(201) }], more: true },
      false,
    ],
    ['a row with its whole metadata', { data: [{ ...preview, metadata: {} }], more: false }, false],
  ])("describes the debugger's list answers: %s", (_case, body, valid) => {
    expect((openApiErrors('DebuggerEvents', body) ?? []).length === 0).toBe(valid);
  });

  it("takes a single call without a type (the path's) and describes the Segment answers", () => {
    expect(openApiErrors('SegmentSingleCall', { event: 'Signed Up', userId: 'u-1', writeKey: 'k' })).toEqual([]);
    expect(openApiErrors('SegmentResult', { success: true, accepted: 2, rejected: 1 })).toEqual([]);
    const nothingUsable = { status: 400, error: 'Bad Request', message: 'm', details: [], success: false };
    expect(openApiErrors('SegmentError', { ...nothingUsable, accepted: 0, rejected: 1 })).toEqual([]);
    expect(openApiErrors('SegmentError', { ...nothingUsable, success: true })).not.toEqual([]);
  });
});
