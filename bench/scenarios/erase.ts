import { randomUUID } from 'node:crypto';
import { DEVELOPMENT_PRIVACY_HASH_KEY } from '../../lib/config.js';
import { subjectHash } from '../../lib/privacy/subject-hash.js';
import { runSteadyLoad } from '../../tools/load/steady-load.js';
import type { OfflineProcess } from '../../tools/offline.js';
import { sleep } from '../../tools/services.js';
import { plan } from '../plan.js';
import { progress } from '../run-log.js';
import { formatInt, summarize } from '../support/figures.js';
import { trackPayload } from '../support/payloads.js';
import type { Bench } from '../types.js';

/** The subject whose rows are deleted, and how many it has (BENCH_QUICK: a tenth). */
const SUBJECT = 'bench-erase-subject';
const ROWS = plan.quick ? 100_000 : 1_000_000;
/** The deletion runner fires once a minute; the target is the million gone within 3 minutes. */
const FINISH_TIMEOUT_MS = 300_000;

const COLUMNS = 'event_id, user_id, event_type, occurred_at, received_at, metadata, user_key, user_hash';

/**
 * ROWS rows of one user, as persist stores them (its subject hash under the bench service's key: no key is set, so
 * the development one), received an hour ago: one row, then copies of all of them until there are enough.
 */
const seedSubject = async ({ database }: Bench): Promise<void> => {
  const hash = subjectHash(DEVELOPMENT_PRIVACY_HASH_KEY, 'USER_ID', SUBJECT);
  const at = new Date(Date.now() - 3_600_000).toISOString().slice(0, 23).replace('T', ' ');
  await database.rows(`INSERT INTO user_activities (${COLUMNS}) VALUES (?, 0, 'erase_me', ?, ?, '{}', ?, ?)`, [
    randomUUID(),
    at,
    at,
    SUBJECT,
    hash,
  ]);
  for (let rows = 1; rows < ROWS; rows = Math.min(ROWS, rows * 2)) {
    await database.rows(
      `INSERT INTO user_activities (${COLUMNS})
       SELECT UUID(), user_id, event_type, occurred_at, received_at, metadata, user_key, user_hash
       FROM user_activities WHERE user_hash = ? LIMIT ${Math.min(rows, ROWS - rows)}`,
      [hash],
    );
  }
};

const regulation = async (server: OfflineProcess, id: string) => {
  const response = await fetch(`${server.baseUrl}/api/v1/regulations/${id}`);
  return ((await response.json()) as { data: { regulation: { overallStatus: string; deleted: { events: number } } } })
    .data.regulation;
};

/**
 * D-erase (issue 19): ROWS rows of one user deleted by a DELETE_ONLY regulation while P1's track load runs at half
 * P1's rate: the rows deleted per second from the regulation to FINISHED (the runner's first tick included), and
 * track's p99 meanwhile.
 */
export const measureErasure = async (server: OfflineProcess, bench: Bench, perSecond: number): Promise<void> => {
  const seeding = Date.now();
  await seedSubject(bench);
  progress(`  D-erase: ${formatInt(ROWS)} rows of one user in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);
  const created = await fetch(`${server.baseUrl}/api/v1/regulations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ regulationType: 'DELETE_ONLY', subjectType: 'USER_ID', subjectIds: [SUBJECT] }),
  });
  if (created.status !== 200) throw new Error(`POST /api/v1/regulations answered ${created.status}`);
  const { regulateId } = ((await created.json()) as { data: { regulateId: string } }).data;
  const begun = Date.now();
  let finishedMs: number | undefined;
  let deleted = 0;
  const watch = (async () => {
    while (finishedMs === undefined && Date.now() - begun < FINISH_TIMEOUT_MS) {
      const state = await regulation(server, regulateId);
      deleted = state.deleted.events;
      if (state.overallStatus === 'FINISHED') finishedMs = Date.now() - begun;
      else await sleep(1000);
    }
  })();
  const nextEvent = () => ({ ...trackPayload, event_id: randomUUID(), timestamp: new Date().toISOString() });
  const answers: Awaited<ReturnType<typeof runSteadyLoad>> = [];
  while (finishedMs === undefined && Date.now() - begun < FINISH_TIMEOUT_MS) {
    const seconds = 10;
    const load = { perSecond, seconds, connections: plan.connections, nextEvent, label: 'D-erase' };
    answers.push(...(await runSteadyLoad(() => server.baseUrl, { ...load, onProgress: progress })));
    progress(`  D-erase: ${formatInt(deleted)}/${formatInt(ROWS)} rows deleted`);
  }
  await watch;
  const latency = summarize(answers.filter((a) => a.status === 202).map((a) => a.ms));
  const refused = answers.filter((a) => a.status !== 202).length;
  const rate = finishedMs === undefined ? null : ROWS / (finishedMs / 1000);
  bench.log.add({
    id: 'D-erase',
    what: `${formatInt(ROWS)} rows of one user deleted while track runs at ${formatInt(perSecond)} req/s (half P1)`,
    value: finishedMs === undefined ? null : finishedMs / 1000,
    unit: 's',
    figure:
      finishedMs === undefined
        ? `not FINISHED within ${FINISH_TIMEOUT_MS / 1000} s (${formatInt(deleted)} deleted)`
        : `${formatInt(rate ?? 0)} rows/s, FINISHED in ${(finishedMs / 1000).toFixed(0)} s; track p99 ${Math.round(latency.p99)} ms (${formatInt(answers.length)} requests, ${formatInt(refused)} not 202)`,
    details: { regulateId, finishedMs, deleted, rows: ROWS, perSecond, trackMs: latency, refused },
  });
};
