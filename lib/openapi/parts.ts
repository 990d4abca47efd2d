/** Pieces every path of the OpenAPI document is made of: a body by schema name, an error answer, Retry-After. */

export const json = (schemaRef: string) => ({
  'application/json': { schema: { $ref: `#/components/schemas/${schemaRef}` } },
});

export const error = (description: string) => ({ description, content: json('Error') });

export const retryAfter = {
  'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait before retrying' },
};
