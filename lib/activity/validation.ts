import { transpileSchema } from '@middy/validator/transpile';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { FieldError } from '../errors.js';
import {
  type ActivityMessage,
  activityMessageSchema,
  metadataSchema,
  producerMessageSchema,
} from './activity-schema.js';
import { DATE_TIME_FORMAT, isIsoDateTime } from './iso-date-time.js';
import { isPlainMetadata } from './metadata-shape.js';

// middy's defaults coerce types ("123" would become 123); a user_id must arrive as a JSON integer.
const ajvOptions = {
  coerceTypes: false,
  useDefaults: false,
  allowUnionTypes: true,
  formats: { [DATE_TIME_FORMAT]: isIsoDateTime },
};

// middy's typings say Ajv, but transpileSchema returns the compiled validate function.
const transpile = (schema: object): ValidateFunction =>
  transpileSchema(schema, ajvOptions) as unknown as ValidateFunction;

type SchemaNode = { properties?: Record<string, SchemaNode> };

/**
 * Where metadataSchema sits in `schema` (by `properties` only, as in an event or a request's body), and the schema
 * with a plain `{ type: 'object' }` there.
 */
const withoutMetadata = (schema: SchemaNode, path: string[] = []): { schema: SchemaNode; paths: string[][] } => {
  if (schema === (metadataSchema as unknown)) return { schema: { type: 'object' } as SchemaNode, paths: [path] };
  if (schema.properties === undefined) return { schema, paths: [] };
  const paths: string[][] = [];
  const properties: Record<string, SchemaNode> = {};
  for (const [name, child] of Object.entries(schema.properties)) {
    const inner = withoutMetadata(child, [...path, name]);
    properties[name] = inner.schema;
    paths.push(...inner.paths);
  }
  return paths.length === 0 ? { schema, paths } : { schema: { ...schema, properties }, paths };
};

const valueAt = (value: unknown, path: string[]): unknown =>
  path.reduce<unknown>((at, name) => (typeof at === 'object' && at !== null ? (at as never)[name] : undefined), value);

/**
 * Compiles a schema once, with the options every validator of ours uses. A schema holding metadataSchema checks
 * metadata in one walk (isPlainMetadata) after the rest of the schema; only a value that fails either is checked by
 * the whole schema, whose errors are the answer. Same verdict, same errors, a fraction of the cost per event.
 */
export const compileSchema = (schema: object): ValidateFunction => {
  const whole = transpile(schema);
  const { schema: rest, paths } = withoutMetadata(schema as SchemaNode);
  if (paths.length === 0) return whole;
  const shallow = transpile(rest);
  const validate = ((value: unknown) => {
    if (
      shallow(value) &&
      paths.every((path) => {
        const metadata = valueAt(value, path);
        return metadata === undefined || isPlainMetadata(metadata);
      })
    ) {
      validate.errors = null;
      return true;
    }
    const valid = whole(value) as boolean;
    validate.errors = whole.errors;
    return valid;
  }) as ValidateFunction;
  validate.errors = null;
  return validate;
};

/** Compiles a schema for middy's validator: the request body sits under `body` of the API Gateway event. */
export const compileBodySchema = (schema: object) =>
  compileSchema({ type: 'object', required: ['body'], properties: { body: schema } });

/**
 * Turns ajv's errors into `{ field, message }` pairs. `prefixes` are parts of the path that are not the client's
 * (`/body`, `/queryStringParameters` of an API Gateway event); `root` names the whole value.
 */
export const toFieldErrors = (
  errors: ErrorObject[] | null | undefined,
  prefixes: string[] = [],
  root = '(body)',
): FieldError[] =>
  // A propertyNames failure is reported once, by the inner error that names the key.
  (errors ?? [])
    .filter((error) => error.keyword !== 'propertyNames')
    .map((error) => {
      const prefix = prefixes.find((p) => error.instancePath === p || error.instancePath.startsWith(`${p}/`)) ?? '';
      const path = error.instancePath.slice(prefix.length);
      const segments = path
        .split('/')
        .filter(Boolean)
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      const params = error.params as Record<string, unknown>;
      const inner = (params.errors as ErrorObject[] | undefined)?.[0];
      const child = params.missingProperty ?? params.additionalProperty ?? error.propertyName ?? inner?.propertyName;
      if (typeof child === 'string') segments.push(child);
      const message = params.additionalProperty !== undefined ? 'is not an allowed field' : error.message;
      return { field: segments.join('.') || root, message: message ?? 'is invalid' };
    });

const validateMessage = compileSchema(activityMessageSchema);
const validateProducerMessage = compileSchema(producerMessageSchema);

/** Validates a message in the schema other producers publish (no event_id, no received_at). */
export const checkProducerMessage = (value: unknown): FieldError[] =>
  validateProducerMessage(value) ? [] : toFieldErrors(validateProducerMessage.errors);

const NO_USER: FieldError[] = [
  { field: 'user_id', message: 'must be at least 1 when the message has no user_key or anonymous_id' },
];

/** Validates a message read from the queue: the queue is a trust boundary too. */
export const checkActivityMessage = (value: unknown): FieldError[] => {
  if (!validateMessage(value)) return toFieldErrors(validateMessage.errors);
  const { user_id, user_key, anonymous_id } = value as ActivityMessage;
  return user_id === 0 && user_key === undefined && anonymous_id === undefined ? NO_USER : [];
};
