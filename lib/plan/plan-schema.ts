import type { FromSchema } from 'json-schema-to-ts';
import { EVENT_TYPE_MAX_LENGTH, eventTypeSchema } from '../activity/activity-schema.js';

/** What `enforcement` does with an event that breaks its schema: refuse it, or store it with its violations. */
export const ENFORCEMENTS = ['reject', 'flag'] as const;
/** What `unplanned` does with an event type the plan does not name. */
export const UNPLANNED_ACTIONS = ['allow', 'flag', 'reject'] as const;

/**
 * The shape of a tracking plan file (TRACKING_PLAN, issue 20): a version, two modes, and per event type a JSON
 * Schema (2020-12) for its `metadata`. The schemas themselves are checked by compiling them (load-plan.ts).
 */
export const trackingPlanSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'events'],
  properties: {
    $schema: { type: 'string' },
    version: { type: 'string', minLength: 1, maxLength: 64 },
    enforcement: { enum: ENFORCEMENTS, default: 'reject' },
    unplanned: { enum: UNPLANNED_ACTIONS, default: 'allow' },
    events: {
      type: 'object',
      propertyNames: { ...eventTypeSchema, maxLength: EVENT_TYPE_MAX_LENGTH },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['metadata'],
        properties: {
          description: { type: 'string' },
          metadata: { type: ['object', 'boolean'] },
        },
      },
    },
  },
} as const;

export type TrackingPlanFile = FromSchema<typeof trackingPlanSchema>;
export type Enforcement = (typeof ENFORCEMENTS)[number];
export type UnplannedAction = (typeof UNPLANNED_ACTIONS)[number];
