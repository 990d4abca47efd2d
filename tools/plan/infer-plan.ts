import type { TrackingPlanFile } from '../../lib/plan/plan-schema.js';

type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';

const jsonTypeOf = (value: unknown): JsonType => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as 'string' | 'boolean' | 'object';
};

interface TypeSeen {
  events: number;
  properties: Map<string, { present: number; types: Set<JsonType> }>;
}

/**
 * What `plan draft` learns from stored events, one payload at a time (a row's metadata, or a Segment call's
 * properties or traits): per event type, the properties seen, their JSON types, and how often each was present.
 */
export class PlanInference {
  readonly #types = new Map<string, TypeSeen>();

  add(eventType: string, payload: unknown): void {
    const seen = this.#types.get(eventType) ?? { events: 0, properties: new Map() };
    this.#types.set(eventType, seen);
    seen.events += 1;
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return;
    for (const [name, value] of Object.entries(payload)) {
      const property = seen.properties.get(name) ?? { present: 0, types: new Set<JsonType>() };
      seen.properties.set(name, property);
      property.present += 1;
      property.types.add(jsonTypeOf(value));
    }
  }

  get eventCount(): number {
    return [...this.#types.values()].reduce((sum, seen) => sum + seen.events, 0);
  }

  /** The plan: a property is required where every event of its type had it; integer and number seen make number. */
  toPlan(version: string): TrackingPlanFile {
    const events: TrackingPlanFile['events'] = {};
    for (const [eventType, seen] of [...this.#types].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const properties: Record<string, { type: JsonType | JsonType[] }> = {};
      const required: string[] = [];
      for (const [name, { present, types }] of [...seen.properties].sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (types.has('integer') && types.has('number')) types.delete('integer');
        const list = [...types].sort();
        properties[name] = { type: list.length === 1 ? (list[0] as JsonType) : list };
        if (present === seen.events) required.push(name);
      }
      events[eventType] = {
        description: `Drafted from ${seen.events} stored event(s)`,
        metadata: { type: 'object', required, properties },
      };
    }
    return { version, enforcement: 'reject', unplanned: 'allow', events };
  }
}
