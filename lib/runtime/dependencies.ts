import { getConfig } from '../config.js';
import { createDrizzleReader } from '../db/activity-reader.js';
import { createDrizzleStore } from '../db/activity-store.js';
import { createDatabase, type Database } from '../db/client.js';
import { createDrizzleDebuggerReader } from '../db/debugger-reader.js';
import { createDrizzleStatsReader } from '../db/stats-reader.js';
import { writeAccess } from '../http/access.js';
import { createIntake, type Intake, type WriteDependencies } from '../intake/intake.js';
import { type IntakeStep, intakeSteps } from '../intake/steps.js';
import { logger } from '../observability/logger.js';
import type { StatsSources } from '../observability/pipeline-stats.js';
import type { TrackingPlan } from '../plan/compile-plan.js';
import { loadPlan } from '../plan/load-plan.js';
import type {
  ActivityReader,
  ActivityStore,
  DebuggerReader,
  EventPublisher,
  QueueInspector,
  StatsReader,
} from '../ports.js';
import { type ConfirmChannelSource, createConfirmChannelSource } from '../rabbitmq/confirm-channel.js';
import { createRabbitPublisher } from '../rabbitmq/publisher.js';
import { createQueueInspector } from '../rabbitmq/queue-inspector.js';

/**
 * Process-wide adapters, made on first use and kept across invocations (a warm Lambda or a serverless-offline
 * worker reuses them). Handlers receive them through their factories, so tests can pass others.
 */
let rabbit: ConfirmChannelSource | undefined;
let database: Database | undefined;

/** The process's broker connection with its confirm channel. */
export const getBrokerLink = (): ConfirmChannelSource =>
  (rabbit ??= createConfirmChannelSource(getConfig(), 'user-activity-track'));

/** The process's database pool. */
export const getDatabase = (): Database => (database ??= createDatabase(getConfig()));

export const getPublisher = (): EventPublisher => createRabbitPublisher(getBrokerLink(), getConfig());

export const getActivityStore = (): ActivityStore => createDrizzleStore(getDatabase().db);

let trackingPlan: TrackingPlan | undefined;

/**
 * The tracking plan TRACKING_PLAN names, loaded and compiled once per process (at the module's start, so a bad plan
 * fails the function's start, not a request); undefined without one.
 */
export const getTrackingPlan = (): TrackingPlan | undefined => {
  const file = getConfig().trackingPlanFile;
  if (file === undefined || trackingPlan !== undefined) return trackingPlan;
  const started = performance.now();
  trackingPlan = loadPlan(file);
  logger.info('tracking plan loaded', {
    plan_version: trackingPlan.version,
    event_types: trackingPlan.types.length,
    validators_compiled: trackingPlan.compiled === 'build' ? 'at build time' : 'at load',
    duration_ms: Math.round(performance.now() - started),
  });
  return trackingPlan;
};

/** The intake's steps for every source, the tracking plan's among them when there is one. */
export const getIntakeSteps = (): IntakeStep[] =>
  intakeSteps({ maxMessageBytes: getConfig().maxMessageBytes, trackingPlan: getTrackingPlan() });

/**
 * The intake every write function shares (lib/intake). The database is opened only when a source keeps rejected
 * items (Segment batches) or the tracking plan refuses an event (its violations are counted), so track and batch
 * open no pool for events that pass.
 */
export const getIntake = (): Intake =>
  createIntake({
    publisher: getPublisher(),
    failedEvents: { insertFailedEvents: (events) => getActivityStore().insertFailedEvents(events) },
    violationCounts: { countPlanViolations: (counts) => getActivityStore().countPlanViolations(counts) },
    steps: getIntakeSteps(),
  });

/** What every write function gets: the intake, and the write keys of API_KEYS. */
export const getWriteDependencies = (): WriteDependencies => ({
  intake: getIntake(),
  access: writeAccess(getConfig()),
});

export const getActivityReader = (): ActivityReader => createDrizzleReader(getDatabase().db);

export const getDebuggerReader = (): DebuggerReader => createDrizzleDebuggerReader(getDatabase().db);

export const getStatsReader = (): StatsReader => createDrizzleStatsReader(getDatabase().db);

export const getQueueInspector = (): QueueInspector => createQueueInspector(getBrokerLink(), getConfig());

/** Where the pipeline's state is read (stats and /metrics alike). */
export const getStatsSources = (): StatsSources => ({ inspector: getQueueInspector(), reader: getStatsReader() });

/** Closes whatever was opened; used on shutdown and by tests. */
export const closeDependencies = async (): Promise<void> => {
  const [r, d] = [rabbit, database];
  rabbit = undefined;
  database = undefined;
  await Promise.allSettled([r?.close(), d?.pool.end()]);
};
