import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderOpenApiYaml } from '../../scripts/openapi.js';
import { openApiErrors } from '../../test/support/openapi-schemas.js';
import { batchRequestSchema, trackRequestSchema } from '../activity/activity-schema.js';
import { compileSchema, toFieldErrors } from '../activity/validation.js';
import { buildOpenApiDocument } from './document.js';

const validateTrack = compileSchema(trackRequestSchema);

describe('OpenAPI document', () => {
  const document = buildOpenApiDocument() as {
    components: { schemas: Record<string, unknown> };
    paths: Record<string, unknown>;
  };

  it('is the committed openapi.yaml (run `npm run openapi` after changing a schema)', () => {
    expect(readFileSync('openapi.yaml', 'utf8')).toBe(renderOpenApiYaml());
  });

  it('documents every route of serverless.yml', () => {
    const routes = [...readFileSync('serverless.yml', 'utf8').matchAll(/path: (\S+)/g)].map((m) => m[1]);
    expect(Object.keys(document.paths).sort()).toEqual([...new Set(routes)].sort());
  });

  it('describes the event with the validator schema itself (only ajv-errors messages removed)', () => {
    const strip = (value: unknown): unknown =>
      JSON.parse(JSON.stringify(value, (key, v) => (key === 'errorMessage' ? undefined : v)));
    expect(document.components.schemas.TrackEvent).toEqual(strip(trackRequestSchema));
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
});
