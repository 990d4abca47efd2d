import type { QueuedMessage } from '../activity/queued-message.js';
import { DependencyUnavailableError, type FieldError } from '../errors.js';
import type { Access } from '../http/access.js';
import { loggableProblems } from '../observability/loggable-reason.js';
import { noteIntake } from '../observability/pipeline-log.js';
import { PLAN_STEP } from '../plan/plan-step.js';
import { type PlanViolation, tallyViolations } from '../plan/violation.js';
import type { ActivityStore, EventPublisher, FailedEvent } from '../ports.js';
import { isMessage, type Mapped } from './mapped.js';
import { type Checked, keepsOriginal, runSteps, scrubOriginal } from './pipeline.js';
import type { IntakeStep } from './steps.js';

/** What became of one item, in request order. */
export type ItemResult =
  | { index: number; event_id: string; status: 'accepted' }
  | { index: number; status: 'rejected'; errors: FieldError[] }
  | { index: number; event_id: string; status: 'failed'; retryable: true; errors: FieldError[] };

export interface IntakeOutcome {
  /** Answered accepted: published, or suppressed (issue 19: the client's answer is the same). */
  accepted: number;
  /** Of the accepted, those of suppressed subjects: published and kept nowhere. */
  suppressed: number;
  rejected: number;
  failed: number;
  /** Of the rejected, those the tracking plan refused; present only when there are some. */
  blocked?: number;
  results: ItemResult[];
}

/** How a source wants its items handled beyond what every source gets. */
export interface IntakeSource {
  /**
   * Keep the rejected items in failed_events, under this name (`Segment call` gives `Segment call 3 cannot be stored:
   * …`): for clients that never read a per-item answer, so that nothing they sent disappears without a trace.
   */
  keepRejectedAs?: string;
  /** The same for the items the tracking plan refuses only (Segment answers 200 and keeps them, as Protocols does). */
  keepBlockedAs?: string;
}

export interface IntakeDependencies {
  publisher: EventPublisher;
  failedEvents: Pick<ActivityStore, 'insertFailedEvents'>;
  steps: IntakeStep[];
  /** Where the violations of the events the tracking plan refuses are counted (flagged ones are counted by persist). */
  violationCounts?: Pick<ActivityStore, 'countPlanViolations'>;
}

export interface Intake {
  /** Every item through the steps, the rejected ones kept if the source asks, the rest published: one outcome each. */
  accept(items: Mapped[], source?: IntakeSource): Promise<IntakeOutcome>;
}

/** What every write function is made with: the intake, and who may write (open when absent). */
export interface WriteDependencies {
  intake: Intake;
  access?: Access;
}

// A plan violation also names its rule and the plan's version.
const describeProblem = (e: FieldError & Partial<PlanViolation>): string =>
  e.rule === undefined ? `${e.field} ${e.message}` : `${e.field} ${e.message} (rule ${e.rule}, plan ${e.plan_version})`;

const toFailedEvent = (
  steps: IntakeStep[],
  label: string,
  index: number,
  item: Mapped,
  errors: FieldError[],
): FailedEvent => {
  const call = (item.original ?? {}) as { messageId?: unknown; userId?: unknown; anonymousId?: unknown };
  const messageId = call.messageId;
  const userId = typeof call.userId === 'number' ? String(call.userId) : call.userId;
  return {
    identity: { user_key: userId, anonymous_id: call.anonymousId },
    messageId: typeof messageId === 'string' ? messageId.slice(0, 255) : null,
    eventId: null,
    rawBody: JSON.stringify(scrubOriginal(steps, item.original)) ?? 'null',
    reason: `${label} ${index} cannot be stored: ${errors.map(describeProblem).join('; ')}`,
    loggedReason: `${label} ${index} cannot be stored: ${loggableProblems(errors)}`,
  };
};

const isBlocked = (item: Checked): item is { errors: PlanViolation[]; refusedBy: string } =>
  'errors' in item && item.refusedBy === PLAN_STEP;

const keptLabel = (source: IntakeSource, item: Checked): string | undefined =>
  'errors' in item ? (source.keepRejectedAs ?? (isBlocked(item) ? source.keepBlockedAs : undefined)) : undefined;

/**
 * What must be written before the request is answered: the rejected items the source keeps (unless a step says an
 * item may not be kept: a suppressed subject's), and the counts of the plan's violations. Not written means not
 * answered (503): the client retries the request, and its accepted items are stored once anyway.
 */
const recordRejected = async (
  { failedEvents, violationCounts, steps }: IntakeDependencies,
  source: IntakeSource,
  items: Mapped[],
  checked: Checked[],
): Promise<FailedEvent[]> => {
  const kept = checked.flatMap((item, index) => {
    const label = keptLabel(source, item);
    const mapped = items[index] as Mapped;
    if (label === undefined || !('errors' in item) || !keepsOriginal(steps, mapped.original)) return [];
    return [toFailedEvent(steps, label, index, mapped, item.errors)];
  });
  const blocked = checked.flatMap((item, index) => {
    const mapped = items[index] as Mapped;
    return isBlocked(item) && isMessage(mapped)
      ? [{ eventType: mapped.message.event_type, violations: item.errors }]
      : [];
  });
  try {
    if (kept.length > 0) await failedEvents.insertFailedEvents(kept);
    if (blocked.length > 0) await violationCounts?.countPlanViolations(tallyViolations(blocked));
  } catch (error) {
    throw new DependencyUnavailableError('Could not record the unusable events: the database is unavailable', {
      cause: error,
    });
  }
  return kept;
};

/**
 * The one way into the pipeline for every source of events (issue 16). Each source maps its input to items
 * (lib/intake/mapped.ts); the intake runs each item through the steps (lib/intake/steps.ts), keeps or answers the
 * rejected ones, publishes the rest together and reports each item's outcome, with its logs and metrics.
 */
export const createIntake = (dependencies: IntakeDependencies): Intake => ({
  async accept(items, source = {}) {
    const { publisher, steps } = dependencies;
    await Promise.all(steps.map((step) => step.prepare?.()));
    const checked = items.map((item) => runSteps(steps, item));
    const kept = await recordRejected(dependencies, source, items, checked);
    const queued: QueuedMessage[] = [];
    for (const item of checked) if ('queued' in item) queued.push(item.queued);
    const failures = await publisher.publishAll(queued);
    // An outcome missing would read as "accepted": never answer that for an event the broker did not vouch for.
    if (failures.length !== queued.length) {
      throw new Error(`publishAll answered ${failures.length} outcomes for ${queued.length} events`);
    }
    const outcome: IntakeOutcome = { accepted: 0, suppressed: 0, rejected: 0, failed: 0, results: [] };
    let published = 0;
    const suppressedAt = new Set<number>();
    checked.forEach((item, index) => {
      if (isBlocked(item)) outcome.blocked = (outcome.blocked ?? 0) + 1;
      if ('errors' in item) {
        outcome.rejected += 1;
        outcome.results.push({ index, status: 'rejected', errors: item.errors });
        return;
      }
      if ('suppressed' in item) {
        outcome.accepted += 1;
        outcome.suppressed += 1;
        suppressedAt.add(index);
        outcome.results.push({ index, event_id: item.suppressed.event_id, status: 'accepted' });
        return;
      }
      const eventId = item.queued.message.event_id;
      const failure = failures[published++];
      if (failure) {
        outcome.failed += 1;
        const errors = [{ field: '(event)', message: failure.message }];
        outcome.results.push({ index, event_id: eventId, status: 'failed', retryable: true, errors });
      } else {
        outcome.accepted += 1;
        outcome.results.push({ index, event_id: eventId, status: 'accepted' });
      }
    });
    if (outcome.suppressed > 0) for (const step of steps) step.noteSuppressed?.(outcome.suppressed);
    noteIntake(
      outcome,
      kept,
      failures.find((failure) => failure !== undefined),
      suppressedAt,
    );
    return outcome;
  },
});

/**
 * The problems of the items that were not accepted, each field named by the item's place in the request
 * (`events[3].user_id`, or `events[3]` for the item as a whole); without a list name, as they are (a single item).
 */
export const problemsOf = ({ results }: Pick<IntakeOutcome, 'results'>, list?: string): FieldError[] =>
  results.flatMap((result) => {
    if (result.status === 'accepted') return [];
    if (list === undefined) return result.errors;
    const at = `${list}[${result.index}]`;
    return result.errors.map((error) => ({ ...error, field: error.field === '(event)' ? at : `${at}.${error.field}` }));
  });
