/**
 * The validators' metadata schema carries its own `$id` with `$defs` that refer to each other as `#/$defs/…`. JSON
 * Schema resolves those against the `$id`, but OpenAPI tools (openapi-typescript, Redocly) resolve every `#/…`
 * against the document and find nothing there. So the document names each such schema as a component of its own,
 * its `$defs` beside it, and refers to them by `#/components/schemas/…`.
 */
type Json = unknown;

const SCOPED_ID = /^urn:user-activity:([a-z-]+)$/;

const pascal = (name: string) =>
  name
    .split(/[-_]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

const isObject = (value: Json): value is Record<string, Json> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** `schemas` with every `$id`-scoped schema inside them replaced by a `$ref` to a component of its own. */
export const liftScopedSchemas = (schemas: Record<string, Json>): Record<string, Json> => {
  const lifted: Record<string, Json> = {};

  const rewrite = (value: Json, defsOf?: string): Json => {
    if (Array.isArray(value)) return value.map((item) => rewrite(item, defsOf));
    if (!isObject(value)) return value;
    const scope = typeof value.$id === 'string' ? SCOPED_ID.exec(value.$id)?.[1] : undefined;
    if (scope !== undefined) {
      const name = pascal(scope);
      const { $id: _id, $defs, ...schema } = value;
      for (const [def, defSchema] of Object.entries(isObject($defs) ? $defs : {})) {
        lifted[`${name}${pascal(def)}`] = rewrite(defSchema, name);
      }
      lifted[name] = rewrite(schema, name);
      return { $ref: `#/components/schemas/${name}` };
    }
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => {
        if (key === '$ref' && typeof v === 'string' && defsOf && v.startsWith('#/$defs/')) {
          return [key, `#/components/schemas/${defsOf}${pascal(v.slice('#/$defs/'.length))}`];
        }
        return [key, rewrite(v, defsOf)];
      }),
    );
  };

  const rewritten = Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, rewrite(schema)]));
  return { ...rewritten, ...lifted };
};
