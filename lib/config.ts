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

export const parseConfig = (env: Env, argv: string[] = []): Config => {
  const database = url(env, 'DATABASE_URL', 'mysql://root@127.0.0.1:3306/user_activity_db', ['mysql:']);
  const databaseName = decodeURIComponent(database.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_$]{1,64}$/.test(databaseName)) {
    throw new ConfigError(
      'DATABASE_URL',
      'must name a database (letters, digits, _ or $), e.g. mysql://host/user_activity_db',
    );
  }
  const queueName = read(env, 'RABBITMQ_QUEUE') ?? 'user_activity_events';
  const apiKeys = keyList(env, 'API_KEYS');
  const readApiKeys = keyList(env, 'READ_API_KEYS');
  return {
    rabbitmqUrl: url(env, 'RABBITMQ_URL', 'amqp://guest:guest@127.0.0.1:5672', ['amqp:', 'amqps:']).href,
    queueName,
    deadLetterQueueName: `${queueName}.dlq`,
    deliveryLimit: integer(env, 'RABBITMQ_DELIVERY_LIMIT', 20, 1, 1000),
    ...shardCounts(env),
    publishTimeoutMs: integer(env, 'PUBLISH_TIMEOUT_MS', 3000, 100, 25000),
    databaseUrl: database.href,
    databaseName,
    dbPoolSize: integer(env, 'DB_POOL_SIZE', 5, 1, 100),
    retryBackoffMaxMs: integer(env, 'PERSIST_RETRY_BACKOFF_MAX_MS', 30000, 0, 900000),
    ...bodyLimits(env),
    apiKeys,
    readApiKeys,
    ...privacySettings(env, apiKeys.length + readApiKeys.length > 0),
    localInvoke: argv.includes('invoke') && argv.includes('local'),
    logLevel: logLevel(env),
    metricsOutput: metricsOutput(env),
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
