/**
 * Checks the properties of an `AWS::Lambda::EventSourceMapping` on an Amazon MQ for RabbitMQ broker against AWS's
 * documentation, and returns what is wrong (nothing = valid):
 * - types, ranges and patterns: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-eventsourcemapping.html
 *   and its SourceAccessConfiguration page (…/aws-properties-lambda-eventsourcemapping-sourceaccessconfiguration.html);
 *   the length of a queue name: https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
 * - which properties apply to Amazon MQ: https://docs.aws.amazon.com/lambda/latest/dg/services-mq-params.html
 */

export interface Template {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

// The parameters Lambda reads for an Amazon MQ source (services-mq-params.html), plus the broker itself.
const MQ_PROPERTIES = new Set([
  'BatchSize',
  'Enabled',
  'EventSourceArn',
  'FilterCriteria',
  'FunctionName',
  'MaximumBatchingWindowInSeconds',
  'Queues',
  'SourceAccessConfigurations',
]);

const EVENT_SOURCE_ARN =
  /^arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1})?:(\d{12})?:(.*)$/;
const FUNCTION_NAME =
  /^(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$/;
const ACCESS_TYPES = new Set([
  'BASIC_AUTH',
  'VPC_SUBNET',
  'VPC_SECURITY_GROUP',
  'SASL_SCRAM_512_AUTH',
  'SASL_SCRAM_256_AUTH',
  'VIRTUAL_HOST',
  'CLIENT_CERTIFICATE_TLS_AUTH',
  'SERVER_ROOT_CA_CERTIFICATE',
]);
const ACCESS_URI = /^[a-zA-Z0-9-/*:_+=.@-]*$/;
const SECRET_ARN = /^arn:[a-z-]+:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;

const isIntegerIn = (value: unknown, min: number, max: number) =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

const isStringOfLength = (value: unknown, min: number, max: number): value is string =>
  typeof value === 'string' && value.length >= min && value.length <= max;

/** A FunctionName is a name or ARN, or an intrinsic that points at a function of the same template. */
const functionNameProblem = (value: unknown, template: Template): string | undefined => {
  if (typeof value === 'string')
    return isStringOfLength(value, 1, 140) && FUNCTION_NAME.test(value) ? undefined : `FunctionName "${value}"`;
  const target = value as { 'Fn::GetAtt'?: [string, string]; Ref?: string } | undefined;
  const logicalId = target?.['Fn::GetAtt']?.[1] === 'Arn' ? target['Fn::GetAtt'][0] : target?.Ref;
  return logicalId && template.Resources[logicalId]?.Type === 'AWS::Lambda::Function'
    ? undefined
    : `FunctionName ${JSON.stringify(value)} is no function of the template`;
};

const accessProblems = (value: unknown): string[] => {
  if (!Array.isArray(value) || value.length < 1 || value.length > 22)
    return ['SourceAccessConfigurations must list 1 to 22 entries'];
  const problems: string[] = [];
  if (new Set(value.map((entry) => JSON.stringify(entry))).size !== value.length)
    problems.push('SourceAccessConfigurations has duplicates');
  for (const entry of value as Array<{ Type?: unknown; URI?: unknown }>) {
    if (!ACCESS_TYPES.has(String(entry.Type))) problems.push(`SourceAccessConfiguration Type ${String(entry.Type)}`);
    if (!isStringOfLength(entry.URI, 1, 200) || !ACCESS_URI.test(entry.URI))
      problems.push(`SourceAccessConfiguration URI ${JSON.stringify(entry.URI)}`);
  }
  // RabbitMQ: the broker's credentials as a Secrets Manager secret, and the virtual host at most once.
  const ofType = (type: string) => (value as Array<{ Type?: unknown; URI?: unknown }>).filter((e) => e.Type === type);
  const [basicAuth, ...moreBasicAuth] = ofType('BASIC_AUTH');
  if (!basicAuth || moreBasicAuth.length > 0 || !SECRET_ARN.test(String(basicAuth.URI)))
    problems.push('RabbitMQ needs exactly one BASIC_AUTH entry with a Secrets Manager secret ARN');
  if (ofType('VIRTUAL_HOST').length > 1) problems.push('more than one VIRTUAL_HOST');
  const others = value.length - ofType('BASIC_AUTH').length - ofType('VIRTUAL_HOST').length;
  if (others > 0) problems.push('RabbitMQ takes only BASIC_AUTH and VIRTUAL_HOST entries');
  return problems;
};

export const mqMappingProblems = (properties: Record<string, unknown>, template: Template): string[] => {
  const problems = Object.keys(properties)
    .filter((key) => !MQ_PROPERTIES.has(key))
    .map((key) => `${key} does not apply to Amazon MQ`);
  const {
    BatchSize,
    Enabled,
    EventSourceArn,
    FunctionName,
    MaximumBatchingWindowInSeconds: window,
    Queues,
  } = properties;
  if (BatchSize !== undefined && !isIntegerIn(BatchSize, 1, 10_000)) problems.push(`BatchSize ${String(BatchSize)}`);
  if (window !== undefined && !isIntegerIn(window, 0, 300))
    problems.push(`MaximumBatchingWindowInSeconds ${String(window)} is not an integer from 0 to 300`);
  if (Enabled !== undefined && typeof Enabled !== 'boolean') problems.push(`Enabled ${String(Enabled)}`);
  if (
    !isStringOfLength(EventSourceArn, 12, 1024) ||
    !EVENT_SOURCE_ARN.test(EventSourceArn) ||
    !EventSourceArn.includes(':mq:')
  )
    problems.push(`EventSourceArn ${JSON.stringify(EventSourceArn)} is no Amazon MQ broker ARN`);
  const functionName = functionNameProblem(FunctionName, template);
  if (functionName) problems.push(functionName);
  if (!Array.isArray(Queues) || Queues.length !== 1 || !isStringOfLength(Queues[0], 1, 1000))
    problems.push(`Queues ${JSON.stringify(Queues)} must hold exactly one name of 1 to 1000 characters`);
  return [...problems, ...accessProblems(properties.SourceAccessConfigurations)];
};
