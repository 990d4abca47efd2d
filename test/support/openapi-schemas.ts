import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { DATE_TIME_FORMAT, isIsoDateTime } from '../../lib/activity/iso-date-time.js';
import { buildOpenApiDocument } from '../../lib/openapi/document.js';

const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
addFormats.default(ajv);
ajv.addFormat(DATE_TIME_FORMAT, isIsoDateTime);
ajv.addSchema({ ...(buildOpenApiDocument() as object), $id: 'openapi' });

/** Validates a value against a schema of the served OpenAPI document; returns ajv's errors (empty when it conforms). */
export const openApiErrors = (schemaName: string, value: unknown) => {
  const validate = ajv.getSchema(`openapi#/components/schemas/${schemaName}`);
  if (!validate) throw new Error(`no schema ${schemaName} in the OpenAPI document`);
  return validate(value) ? [] : validate.errors;
};
