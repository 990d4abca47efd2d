import process from 'node:process';
import { ConfigError } from './errors.js';
import { IP_RULES, type IpRule, type PersonalDataRules } from './privacy/personal-data.js';

/**
 * The one place the service reads the environment. Locally, `serverless offline` has already filled it from `.env`
 * (`useDotenv` in serverless.yml) and the tooling does the same (`tools/env.ts`); on AWS it is the function's.
 */
export interface Config {
  rabbitmqUrl: string;
  queueName: string;
  deadLetterQueueName: string;
  deliveryLimit: number;
  /** Queues the events are spread over by user (lib/rabbitmq/shards.ts); 1 = the single `queueName`. */
  rabbitmqShards: number;
  /**
   * Shards that are consumed (one poller, or one event source mapping, each): at least `rabbitmqShards`, more while
   * the queues of a lowered N drain (docs/reliability.md, "Shards and per-user order").
   */
  consumedShards: number;
  publishTimeoutMs: number;
  databaseUrl: string;
  databaseName: string;
  /**
   * Where persist, the queue consumer, reaches the database: PERSIST_DATABASE_URL, e.g. a user that may only read and
   * write the event tables, or another endpoint; DATABASE_URL when unset. It names the same database.
   */
  persistDatabaseUrl: string;
  dbPoolSize: number;
  retryBackoffMaxMs: number;
  maxBodyBytes: number;
  maxBatchBodyBytes: number;
  /**
   * The largest message persist stores: an event of maxBodyBytes plus what the intake adds (ids, times, a Segment
   * batch's context). Applied by the intake before publishing and by persist to what it reads.
   */
  maxMessageBytes: number;
  /** Bearer keys for the write endpoints; empty = open (the local quick start). */
  apiKeys: string[];
  /** Bearer keys for the read endpoints; see `readAccess`. */
  readApiKeys: string[];
  /** Bearer keys for the admin endpoints (regulations); see `adminAccess`. Read and write keys never grant them. */
  adminApiKeys: string[];
  /**
   * PRIVACY_HASH_KEY: the secret of every keyed hash the service keeps of a person's data (PII_HASH_KEYS values,
   * regulated subject ids). Required once any key is configured or hashing is asked for; a fixed development value
   * otherwise, so the local quick start needs nothing.
   */
  privacyHashKey: string;
  /** What the intake does to personal data before publishing (PII_IP, PII_REDACT_KEYS, PII_HASH_KEYS; issue 19). */
  personalData: PersonalDataRules;
  /**
   * True inside `serverless invoke local`, which runs the handler in its own process and exits only once the event
   * loop is empty, so connections must be closed after the invocation instead of kept for the next one.
   */
  localInvoke: boolean;
  /** Lowest level written to the logs. */
  logLevel: LogLevel;
  /**
   * Where the functions' metrics go, in CloudWatch's embedded metric format: `stdout` (on AWS the log line is the
   * metric), `off`, or a file (`file:<path>`, one JSON line per invocation). Locally (serverless offline or invoke
   * local) the default is `off`, so the console is not flooded.
   */
  metricsOutput: MetricsOutput;
  /**
   * The tracking plan file (TRACKING_PLAN, issue 20), relative to the working directory (the service folder locally,
   * /var/task on Lambda, where serverless.yml packages it); undefined: no plan, every event type and metadata pass.
   */
  trackingPlanFile: string | undefined;
  /**
   * ERASE_PAUSE_PERCENT: after each chunk it deletes, the deletion runner pauses this share of the time the chunk
   * took (100: as long again), so a large deletion takes at most that part of the database from ingestion and reads.
   */
  erasePausePercent: number;
}

/**
 * Variables the service reads that serverless.yml does not forward to the functions on AWS, and why. Every other
 * variable parseConfig reads must be forwarded (provider.environment), and every variable a user sets must be
 * documented in .env.example: lib/config-wiring.test.ts checks both.
 */
export const LOCAL_ONLY_VARIABLES: Record<string, { why: string; setByTooling?: true }> = {
  PERSIST_RETRY_BACKOFF_MAX_MS: {
    why: "the local poller's pause before it requeues a failed batch; on AWS the event source mapping retries",
  },
  IS_OFFLINE: { why: 'set by serverless offline in the functions it runs', setByTooling: true },
  IS_LOCAL: { why: 'set by `serverless invoke local`', setByTooling: true },
  DATABASE_PASSWORD: {
    why: 'the password of DATABASE_URL given apart, so that docker-compose.yml passes one with / or # unencoded; on AWS the URL comes whole from SSM',
  },
  RABBITMQ_PASSWORD: {
    why: 'the password of RABBITMQ_URL given apart, so that docker-compose.yml passes one with / or # unencoded; on AWS the URL comes whole from SSM',
  },
  AWS_LAMBDA_FUNCTION_NAME: { why: 'set by Lambda (and serverless offline) in every function', setByTooling: true },
};

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type MetricsOutput = { kind: 'stdout' } | { kind: 'off' } | { kind: 'file'; path: string };

export type Env = Record<string, string | undefined>;

const read = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value ? value : undefined;
};

export const integer = (env: Env, name: string, fallback: number, min: number, max: number): number => {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
};

const url = (env: Env, name: string, fallback: string, protocols: string[]): URL => {
  const raw = read(env, name) ?? fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return parsed;
};

/** `parsed` with the password of `name`, when set: percent-encoded, so that /, #, @ or % in it survive. */
const withPassword = (parsed: URL, env: Env, name: string): URL => {
  const password = env[name];
  if (password) parsed.password = encodeURIComponent(password);
  return parsed;
};

const MIN_KEY_LENGTH = 16;

const keyList = (env: Env, name: string): string[] => {
  const keys = (read(env, name) ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  if (keys.some((key) => key.length < MIN_KEY_LENGTH || /\s/.test(key))) {
    // The message must not echo the keys: they are secrets.
    throw new ConfigError(
      name,
      `must be a comma-separated list of keys of at least ${MIN_KEY_LENGTH} characters without spaces`,
    );
  }
  return keys;
};

const logLevel = (env: Env): LogLevel => {
  const raw = read(env, 'LOG_LEVEL')?.toUpperCase() ?? 'INFO';
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  }
  return raw as LogLevel;
};

const metricsOutput = (env: Env): MetricsOutput => {
  // serverless offline sets IS_OFFLINE and `serverless invoke local` sets IS_LOCAL in the function's environment.
  const local = Boolean(read(env, 'IS_OFFLINE') ?? read(env, 'IS_LOCAL'));
  const raw = read(env, 'METRICS_OUTPUT') ?? (local ? 'off' : 'stdout');
  if (raw === 'stdout' || raw === 'off') return { kind: raw };
  if (raw.startsWith('file:') && raw.length > 'file:'.length) return { kind: 'file', path: raw.slice('file:'.length) };
  throw new ConfigError('METRICS_OUTPUT', `must be stdout, off or file:<path>, got "${raw}"`);
};

/**
 * Running on Lambda itself: one invocation at a time per instance, so one database connection is all an instance
 * uses, and more would only multiply the connections the database sees as instances scale out (docs/deploy.md).
 */
const onLambda = (env: Env): boolean =>
  read(env, 'AWS_LAMBDA_FUNCTION_NAME') !== undefined &&
  read(env, 'IS_OFFLINE') === undefined &&
  read(env, 'IS_LOCAL') === undefined;

const shardCounts = (env: Env): Pick<Config, 'rabbitmqShards' | 'consumedShards'> => {
  const rabbitmqShards = integer(env, 'RABBITMQ_SHARDS', 1, 1, 64);
  const consumedShards = integer(env, 'RABBITMQ_CONSUMED_SHARDS', rabbitmqShards, 1, 64);
  if (consumedShards < rabbitmqShards) {
    throw new ConfigError('RABBITMQ_CONSUMED_SHARDS', `must be at least RABBITMQ_SHARDS (${rabbitmqShards})`);
  }
  return { rabbitmqShards, consumedShards };
};

const bodyLimits = (env: Env): Pick<Config, 'maxBodyBytes' | 'maxBatchBodyBytes' | 'maxMessageBytes'> => {
  const maxBodyBytes = integer(env, 'MAX_BODY_BYTES', 32 * 1024, 1024, 1024 * 1024);
  return {
    maxBodyBytes,
    maxBatchBodyBytes: integer(env, 'MAX_BATCH_BODY_BYTES', 512 * 1024, 1024, 6 * 1024 * 1024),
    maxMessageBytes: maxBodyBytes * 2,
  };
};

/** A secret given on AWS as the name of an SSM SecureString parameter; lib/runtime/secrets.ts reads it at start. */
export const SSM_REFERENCE = /^ssm:(\/[A-Za-z0-9_.\-/]{1,1010})$/;

/** The variables that may hold an SSM reference instead of their value. */
export const SECRET_VARIABLES = [
  'DATABASE_URL',
  'PERSIST_DATABASE_URL',
  'RABBITMQ_URL',
  'API_KEYS',
  'READ_API_KEYS',
  'ADMIN_API_KEYS',
  'PRIVACY_HASH_KEY',
] as const;
export type SecretVariable = (typeof SECRET_VARIABLES)[number];

/** The SSM parameter each secret variable names, for the variables given as `ssm:/…`. */
export const secretReferences = (env: Env): Array<{ variable: string; parameter: string }> =>
  SECRET_VARIABLES.flatMap((variable) => {
    const match = SSM_REFERENCE.exec(read(env, variable) ?? '');
    return match?.[1] ? [{ variable, parameter: match[1] }] : [];
  });

/** The secret used where no key of any kind is configured: the local quick start, never a deployment with keys. */
export const DEVELOPMENT_PRIVACY_HASH_KEY = 'development-only-privacy-hash-key';

const nameList = (env: Env, name: string): string[] =>
  (read(env, name) ?? '')
    .split(',')
    .map((key) => key.trim().toLowerCase())
    .filter(Boolean);

const ipRule = (env: Env): IpRule => {
  const raw = read(env, 'PII_IP')?.toLowerCase() ?? 'keep';
  if (!(IP_RULES as readonly string[]).includes(raw)) {
    throw new ConfigError('PII_IP', `must be one of ${IP_RULES.join(', ')}, got "${raw}"`);
  }
  return raw as IpRule;
};

const privacySettings = (
  env: Env,
  anyKey: boolean,
): Pick<Config, 'adminApiKeys' | 'privacyHashKey' | 'personalData'> => {
  const adminApiKeys = keyList(env, 'ADMIN_API_KEYS');
  const hashKeys = nameList(env, 'PII_HASH_KEYS');
  const secret = read(env, 'PRIVACY_HASH_KEY');
  if (secret !== undefined && secret.length < MIN_KEY_LENGTH) {
    throw new ConfigError('PRIVACY_HASH_KEY', `must be at least ${MIN_KEY_LENGTH} characters`);
  }
  if (secret === undefined && (anyKey || adminApiKeys.length > 0 || hashKeys.length > 0)) {
    throw new ConfigError('PRIVACY_HASH_KEY', 'is required once API keys or PII_HASH_KEYS are set');
  }
  const privacyHashKey = secret ?? DEVELOPMENT_PRIVACY_HASH_KEY;
  return {
    adminApiKeys,
    privacyHashKey,
    personalData: { ip: ipRule(env), redactKeys: nameList(env, 'PII_REDACT_KEYS'), hashKeys, hashKey: privacyHashKey },
  };
};

/** The database a MySQL URL names; `name` is its variable, named in the error. */
const databaseNameOf = (parsed: URL, name: string): string => {
  const databaseName = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_$]{1,64}$/.test(databaseName)) {
    throw new ConfigError(name, 'must name a database (letters, digits, _ or $), e.g. mysql://host/user_activity_db');
  }
  return databaseName;
};

/**
 * DATABASE_URL, and persist's own way to the same database when PERSIST_DATABASE_URL gives one (a consumer that
 * writes as another user or through another endpoint than the HTTP API). It carries its own password:
 * DATABASE_PASSWORD belongs to DATABASE_URL's user.
 */
const databaseSettings = (env: Env): Pick<Config, 'databaseUrl' | 'databaseName' | 'persistDatabaseUrl'> => {
  const database = withPassword(
    url(env, 'DATABASE_URL', 'mysql://root@127.0.0.1:3306/user_activity_db', ['mysql:']),
    env,
    'DATABASE_PASSWORD',
  );
  const databaseName = databaseNameOf(database, 'DATABASE_URL');
  if (read(env, 'PERSIST_DATABASE_URL') === undefined) {
    return { databaseUrl: database.href, databaseName, persistDatabaseUrl: database.href };
  }
  const persist = url(env, 'PERSIST_DATABASE_URL', '', ['mysql:']);
  if (databaseNameOf(persist, 'PERSIST_DATABASE_URL') !== databaseName) {
    throw new ConfigError('PERSIST_DATABASE_URL', `must name the database DATABASE_URL names (${databaseName})`);
  }
  return { databaseUrl: database.href, databaseName, persistDatabaseUrl: persist.href };
};

export const parseConfig = (env: Env, argv: string[] = []): Config => {
  const [unresolved] = secretReferences(env);
  if (unresolved) {
    throw new ConfigError(unresolved.variable, `names SSM parameter ${unresolved.parameter}, which was not read`);
  }
  const queueName = read(env, 'RABBITMQ_QUEUE') ?? 'user_activity_events';
  const apiKeys = keyList(env, 'API_KEYS');
  const readApiKeys = keyList(env, 'READ_API_KEYS');
  return {
    rabbitmqUrl: withPassword(
      url(env, 'RABBITMQ_URL', 'amqp://guest:guest@127.0.0.1:5672', ['amqp:', 'amqps:']),
      env,
      'RABBITMQ_PASSWORD',
    ).href,
    queueName,
    deadLetterQueueName: `${queueName}.dlq`,
    deliveryLimit: integer(env, 'RABBITMQ_DELIVERY_LIMIT', 20, 1, 1000),
    ...shardCounts(env),
    publishTimeoutMs: integer(env, 'PUBLISH_TIMEOUT_MS', 3000, 100, 25000),
    ...databaseSettings(env),
    dbPoolSize: integer(env, 'DB_POOL_SIZE', onLambda(env) ? 1 : 5, 1, 100),
    retryBackoffMaxMs: integer(env, 'PERSIST_RETRY_BACKOFF_MAX_MS', 30000, 0, 900000),
    ...bodyLimits(env),
    apiKeys,
    readApiKeys,
    ...privacySettings(env, apiKeys.length + readApiKeys.length > 0),
    localInvoke: argv.includes('invoke') && argv.includes('local'),
    logLevel: logLevel(env),
    metricsOutput: metricsOutput(env),
    trackingPlanFile: read(env, 'TRACKING_PLAN'),
    erasePausePercent: integer(env, 'ERASE_PAUSE_PERCENT', 100, 0, 1000),
  };
};

let cached: Config | undefined;

/** Parses the environment once per process; throws a ConfigError naming the bad variable. */
export const getConfig = (): Config => {
  if (!cached) {
    cached = parseConfig(process.env, process.argv);
  }
  return cached;
};

/** Reads SSM parameters by name, decrypted: `{ name: value }`. */
export type ParameterReader = (names: string[]) => Promise<Record<string, string>>;

/** `env` with each `ssm:/…` secret replaced by the parameter's value; throws naming a parameter that is missing. */
export const withSecrets = async (env: Env, readParameters: ParameterReader): Promise<Env> => {
  const references = secretReferences(env);
  if (references.length === 0) return env;
  const values = await readParameters([...new Set(references.map(({ parameter }) => parameter))]);
  const resolved: Env = { ...env };
  for (const { variable, parameter } of references) {
    const value = values[parameter];
    if (value === undefined) throw new ConfigError(variable, `names SSM parameter ${parameter}, which was not found`);
    resolved[variable] = value;
  }
  return resolved;
};

/**
 * Parses the environment once, with the secrets given as `ssm:/…` read first (once per process: a warm Lambda keeps
 * them). Without references it reads nothing, as on a developer machine.
 */
export const loadConfig = async (readParameters: ParameterReader): Promise<Config> => {
  cached ??= parseConfig(await withSecrets(process.env, readParameters), process.argv);
  return cached;
};
