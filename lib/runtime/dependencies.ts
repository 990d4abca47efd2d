import { getConfig } from '../config.js';
import { createDrizzleReader } from '../db/activity-reader.js';
import { createDrizzleStore } from '../db/activity-store.js';
import { createDatabase, type Database } from '../db/client.js';
import { createDrizzleDebuggerReader } from '../db/debugger-reader.js';
import { createDrizzleErasureStore } from '../db/erasure-store.js';
import { createDrizzleRegulationStore } from '../db/regulation-store.js';
import { createDrizzleStatsReader } from '../db/stats-reader.js';
import { createDrizzleSuppressionSource } from '../db/suppression-source.js';
import { writeAccess } from '../http/access.js';
import { createIntake, type Intake, type WriteDependencies } from '../intake/intake.js';
import { intakeSteps } from '../intake/steps.js';
import type { StatsSources } from '../observability/pipeline-stats.js';
import type {
  ActivityReader,
  ActivityStore,
  DebuggerReader,
  ErasureStore,
  EventPublisher,
  QueueInspector,
  RegulationStore,
  StatsReader,
} from '../ports.js';
import { createSuppressionList, type SuppressionList } from '../privacy/suppression-list.js';
import { type ConfirmChannelSource, createConfirmChannelSource } from '../rabbitmq/confirm-channel.js';
import { createRabbitPublisher } from '../rabbitmq/publisher.js';
import { createQueueInspector } from '../rabbitmq/queue-inspector.js';

/**
 * Process-wide adapters, made on first use and kept across invocations (a warm Lambda or a serverless-offline
 * worker reuses them). Handlers receive them through their factories, so tests can pass others.
 */
let rabbit: ConfirmChannelSource | undefined;
let database: Database | undefined;
let suppressionList: SuppressionList | undefined;

/** The process's broker connection with its confirm channel. */
export const getBrokerLink = (): ConfirmChannelSource =>
  (rabbit ??= createConfirmChannelSource(getConfig(), 'user-activity-track'));

/** The process's database pool. */
export const getDatabase = (): Database => (database ??= createDatabase(getConfig()));

export const getPublisher = (): EventPublisher => createRabbitPublisher(getBrokerLink(), getConfig());

export const getActivityStore = (): ActivityStore =>
  createDrizzleStore(getDatabase().db, { privacyHashKey: getConfig().privacyHashKey });

/** The process's copy of the suppression list (issue 19), read from the database every few seconds. */
export const getSuppressionList = (): SuppressionList =>
  (suppressionList ??= createSuppressionList(
    createDrizzleSuppressionSource(getDatabase().db),
    getConfig().privacyHashKey,
  ));

/**
 * The intake every write function shares (lib/intake). The database serves the suppression list (a small read every
 * few seconds, off the request's path after the first) and the rejected items a source keeps (Segment batches).
 */
export const getIntake = (): Intake =>
  createIntake({
    publisher: getPublisher(),
    failedEvents: { insertFailedEvents: (events) => getActivityStore().insertFailedEvents(events) },
    steps: intakeSteps({ ...getConfig(), suppressionList: getSuppressionList() }),
  });

/** What every write function gets: the intake, and the write keys of API_KEYS. */
export const getWriteDependencies = (): WriteDependencies => ({
  intake: getIntake(),
  access: writeAccess(getConfig()),
});

export const getActivityReader = (): ActivityReader => createDrizzleReader(getDatabase().db);

export const getDebuggerReader = (): DebuggerReader => createDrizzleDebuggerReader(getDatabase().db);

export const getRegulationStore = (): RegulationStore => createDrizzleRegulationStore(getDatabase().db);

export const getErasureStore = (): ErasureStore =>
  createDrizzleErasureStore(getDatabase().db, getDatabase().pool, getConfig().privacyHashKey);

export const getStatsReader = (): StatsReader => createDrizzleStatsReader(getDatabase().db);

export const getQueueInspector = (): QueueInspector => createQueueInspector(getBrokerLink(), getConfig());

/** Where the pipeline's state is read (stats and /metrics alike). */
export const getStatsSources = (): StatsSources => ({ inspector: getQueueInspector(), reader: getStatsReader() });

/** Closes whatever was opened; used on shutdown and by tests. */
export const closeDependencies = async (): Promise<void> => {
  const [r, d] = [rabbit, database];
  rabbit = undefined;
  database = undefined;
  suppressionList = undefined;
  await Promise.allSettled([r?.close(), d?.pool.end()]);
};
