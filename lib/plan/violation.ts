import type { FromSchema } from 'json-schema-to-ts';

/** At most this many violations are reported per event (the first ones ajv finds). */
export const MAX_VIOLATIONS = 20;

/**
 * One way an event breaks the tracking plan: the field (`metadata.total`, or `properties.total` for a Segment
 * call), the rule (the JSON Schema keyword that failed, or `unplanned` for a type the plan does not name), a message
 * and the plan's version. A FieldError too, so it travels in the API's usual error details. The queue carries the
 * violations of a flagged event, the read API and the debugger show them: one schema for all three.
 */
export const planViolationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['field', 'rule', 'message', 'plan_version'],
  properties: {
    field: { type: 'string', maxLength: 1024, description: 'The field that broke the rule, e.g. metadata.total' },
    rule: { type: 'string', maxLength: 64, description: 'The JSON Schema keyword that failed, or `unplanned`' },
    message: { type: 'string', maxLength: 1024 },
    plan_version: { type: 'string', maxLength: 64, description: "The plan's `version`" },
  },
} as const;

export const planViolationsSchema = {
  type: 'array',
  maxItems: MAX_VIOLATIONS,
  items: planViolationSchema,
  description: 'How the event breaks the tracking plan (issue 20); present only on events flagged by it',
} as const;

export type PlanViolation = FromSchema<typeof planViolationSchema>;

/** The rule of an event whose type the plan does not name. */
export const UNPLANNED_RULE = 'unplanned';
/** The event_type label violations of unplanned types are counted under, so labels stay bounded by the plan. */
export const UNPLANNED_LABEL = '(unplanned)';
/** Violations counted under one (event_type, rule) pair. */
export interface ViolationCount {
  eventType: string;
  rule: string;
  count: number;
}

/** The label an event's violations are counted under: its type, or UNPLANNED_LABEL. */
export const labelOf = (eventType: string, violation: PlanViolation): string =>
  violation.rule === UNPLANNED_RULE ? UNPLANNED_LABEL : eventType;

/** Adds up violations by (label, rule), for the counters (one row each in plan_violation_counts). */
export const tallyViolations = (
  events: Array<{ eventType: string; violations: PlanViolation[] }>,
): ViolationCount[] => {
  const counts = new Map<string, ViolationCount>();
  for (const { eventType, violations } of events) {
    for (const violation of violations) {
      const label = labelOf(eventType, violation);
      const key = `${label}\n${violation.rule}`;
      const entry = counts.get(key) ?? { eventType: label, rule: violation.rule, count: 0 };
      entry.count += 1;
      counts.set(key, entry);
    }
  }
  return [...counts.values()];
};
