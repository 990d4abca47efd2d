import { and, asc, gt, gte, sql } from 'drizzle-orm';
import type { MySql2Database } from 'drizzle-orm/mysql2';
import { userActivities } from '../../lib/db/schema.js';
import type { TrackingPlanFile } from '../../lib/plan/plan-schema.js';
import { PlanInference } from './infer-plan.js';

const PAGE_ROWS = 5000;
// Segment call types whose payload a plan checks (functions/segment/map-call.ts): traits, else properties.
const SEGMENT_CALLS = new Set(['track', 'page', 'screen', 'identify', 'group', 'alias']);

const parseJson = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

/** The payload a plan checks of a stored row: a Segment call's properties or traits, else the metadata. */
export const payloadOf = (row: { metadata: unknown; userKey: string | null; anonymousId: string | null }): unknown => {
  const metadata = parseJson(row.metadata) as Record<string, unknown> | null;
  const type = metadata?.type;
  const segment = (row.userKey !== null || row.anonymousId !== null) && typeof type === 'string';
  if (!segment || !SEGMENT_CALLS.has(type)) return metadata ?? {};
  return (type === 'identify' || type === 'group' ? metadata?.traits : metadata?.properties) ?? {};
};

export interface DraftOptions {
  days: number;
  version: string;
  /** Called after each page of rows with the rows read and an estimate of those to read. */
  onProgress?: (read: number, estimated: number) => void;
}

/**
 * Infers a plan from the events stored in the last `days` days (by created_at), read in keyset pages on the primary
 * key, so a table of millions is read in bounded memory and at most one page per query.
 */
export const draftPlan = async (db: MySql2Database, options: DraftOptions): Promise<TrackingPlanFile> => {
  const since = new Date(Date.now() - options.days * 86_400_000);
  const [bounds] = await db
    .select({ first: sql<number>`MIN(${userActivities.id})`, last: sql<number>`MAX(${userActivities.id})` })
    .from(userActivities)
    .where(gte(userActivities.createdAt, since));
  const inference = new PlanInference();
  const estimated = bounds?.first ? Number(bounds.last) - Number(bounds.first) + 1 : 0;
  let after = bounds?.first ? Number(bounds.first) - 1 : Number.MAX_SAFE_INTEGER;
  for (;;) {
    const rows = await db
      .select({
        id: userActivities.id,
        eventType: userActivities.eventType,
        metadata: userActivities.metadata,
        userKey: userActivities.userKey,
        anonymousId: userActivities.anonymousId,
      })
      .from(userActivities)
      .where(and(gt(userActivities.id, after), gte(userActivities.createdAt, since)))
      .orderBy(asc(userActivities.id))
      .limit(PAGE_ROWS);
    for (const row of rows) inference.add(row.eventType, payloadOf(row));
    options.onProgress?.(inference.eventCount, estimated);
    if (rows.length < PAGE_ROWS) break;
    after = rows.at(-1)?.id ?? after;
  }
  return inference.toPlan(options.version);
};
