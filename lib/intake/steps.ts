import type { ActivityMessage } from '../activity/activity-schema.js';
import { checkQueuedMessage } from '../activity/queued-message.js';
import type { FieldError } from '../errors.js';
import type { TrackingPlan } from '../plan/compile-plan.js';
import { planCheck } from '../plan/plan-step.js';
import { changesAnything, type PersonalDataRules, scrubPersonalData } from '../privacy/personal-data.js';
import type { SuppressionList } from '../privacy/suppression-list.js';
import type { EncodedMetadata } from './mapped.js';

/**
 * An event between two steps; `body` is its queued bytes once the storable step has encoded it. `suppressed` ends
 * its way: answered as accepted, published and kept nowhere (issue 19).
 */
export interface Candidate {
  message: ActivityMessage;
  body?: Buffer;
  /** The metadata field that is the event's payload (a Segment call's `properties` or `traits`); absent: all of it. */
  payload?: string;
  /** The metadata's JSON from the mapper, valid while `message.metadata` is the object it was made of. */
  encodedMetadata?: EncodedMetadata;
  suppressed?: true;
}

/**
 * One step of the intake. A step that changes the message returns a candidate without `body`, so the bytes that
 * are checked are always the bytes that are published.
 */
export interface IntakeStep {
  readonly name: string;
  apply(candidate: Candidate): Candidate | FieldError[];
  /**
   * What the step makes of an item kept as sent (a rejected Segment call, a poison producer message) before it is
   * written to failed_events, for a step whose rule must reach those too.
   */
  scrubOriginal?(original: unknown): unknown;
  /** Whether an item kept as sent may be kept at all (not when it is a suppressed subject's). */
  keepsOriginal?(original: unknown): boolean;
  /** Run once per request before any item, for a step that reads something that changes (the suppression list). */
  prepare?(): Promise<void>;
  /** Told how many items of a request it suppressed (they are counted where the stats read them). */
  noteSuppressed?(count: number): void;
}

/**
 * The message as JSON. Metadata the mapper serialised already (and no step replaced since) is not serialised again:
 * it is written after the other fields, which JSON.stringify gives in their order.
 */
const encodeMessage = (message: ActivityMessage, encoded: EncodedMetadata | undefined): string => {
  if (encoded === undefined || message.metadata === undefined || encoded.of !== message.metadata) {
    return JSON.stringify(message);
  }
  const { metadata: _encoded, ...fields } = message;
  return `${JSON.stringify(fields).slice(0, -1)},"metadata":${encoded.json}}`;
};

/**
 * `storable`: the rules persist applies to what it reads (size, schema, what the JSON columns accept), applied to
 * the bytes about to be published, so an event answered "accepted" is never poison. Always the last step.
 */
export const storable = (maxMessageBytes: number): IntakeStep => ({
  name: 'storable',
  apply: ({ message, encodedMetadata }) => {
    const text = encodeMessage(message, encodedMetadata);
    const body = Buffer.from(text);
    const problems = checkQueuedMessage(message, text, body.length, maxMessageBytes);
    return problems.length > 0 ? problems : { message, body };
  },
});

/**
 * `personal-data`: the deployment's rules for personal data (PII_IP, PII_REDACT_KEYS, PII_HASH_KEYS; issue 19) applied
 * to the metadata (a Segment call's properties, traits and context are there), before anything is published or kept,
 * so raw values never reach the broker, the table, failed_events, the logs or the debugger.
 */
export const personalData = (rules: PersonalDataRules): IntakeStep => {
  const scrub = scrubPersonalData(rules);
  return {
    name: 'personal-data',
    apply: ({ message }) =>
      message.metadata === undefined ? { message } : { message: { ...message, metadata: scrub(message.metadata) } },
    scrubOriginal: scrub,
  };
};

/**
 * `suppression`: the events of subjects suppressed when they were accepted end here (issue 19), answered as
 * accepted; a rejected call of theirs is not kept in failed_events either.
 */
export const suppression = (list: SuppressionList): IntakeStep => ({
  name: 'suppression',
  prepare: () => list.prepare(),
  apply: (candidate) =>
    list.suppresses(candidate.message, Date.parse(candidate.message.received_at))
      ? { ...candidate, suppressed: true }
      : candidate,
  keepsOriginal: (original) => !list.suppressesCall(original, Date.now()),
  noteSuppressed: (count) => list.countSuppressed(count),
});

/** What the steps need of the configuration, and the suppression list where the source has one. */
export interface IntakeSettings {
  maxMessageBytes: number;
  /** Absent, or rules that change nothing: no personal-data step at all. */
  personalData?: PersonalDataRules;
  /** Absent (persist, tests): no suppression step; persist checks the table in its storing transaction instead. */
  suppressionList?: SuppressionList;
  /** TRACKING_PLAN's plan, compiled; absent: no plan check. */
  trackingPlan?: TrackingPlan;
}

/**
 * The steps every event takes, whatever its source, in order. A new rule for every event (a tracking-plan check, a
 * privacy transform) is one entry before `storable`.
 */
export const intakeSteps = ({
  maxMessageBytes,
  trackingPlan,
  personalData: rules,
  suppressionList,
}: IntakeSettings): IntakeStep[] => [
  ...(suppressionList === undefined ? [] : [suppression(suppressionList)]),
  // The plan describes what clients send: checked before the personal-data rules replace values.
  ...(trackingPlan ? [planCheck(trackingPlan)] : []),
  ...(rules !== undefined && changesAnything(rules) ? [personalData(rules)] : []),
  storable(maxMessageBytes),
];
