// First: reads the secrets given as ssm:/… before any module reads the configuration.
import '../../lib/runtime/secrets.js';
import { PublishError, ValidationError } from '../../lib/errors.js';
import { httpFunction } from '../../lib/http/http-function.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import { type IntakeOutcome, problemsOf, type WriteDependencies } from '../../lib/intake/intake.js';
import { getActivityStore } from '../../lib/runtime/database.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';
import { getWriteDependencies } from '../../lib/runtime/write-dependencies.js';
import { mapCalls } from './map-calls.js';
import { type SegmentEvent, segmentInput } from './segment-input.js';

/**
 * SDKs retry a whole request and read no per-call answer: 200 only once every usable call is confirmed, 503 (retry)
 * otherwise; 400 only when no call is usable. A call the tracking plan refuses counts as usable: as with Segment
 * Protocols, the answer is 200 and the call is kept in failed_events with its violations.
 */
const answerSegment = (outcome: IntakeOutcome, batch: boolean) => {
  const counts = { accepted: outcome.accepted, rejected: outcome.rejected };
  if (outcome.failed > 0) {
    throw new PublishError('The message broker did not confirm every call: retry the request', { eventsCounted: true });
  }
  if (outcome.accepted === 0 && outcome.rejected > (outcome.blocked ?? 0)) {
    throw new ValidationError(
      'No call in the request can be stored',
      problemsOf(outcome, batch ? 'batch' : undefined),
      {
        body: { success: false, ...counts },
        eventsCounted: true,
      },
    );
  }
  return jsonResponse(200, { success: true, ...counts });
};

/**
 * `POST /v1/{track,identify,page,screen,group,alias,batch,import}`, and `/v1/{t,i,p,s,g,a,b}` as Segment's browser
 * SDK names them: Segment's HTTP Tracking API. The unusable calls of a batch are kept in failed_events (an SDK never
 * reads why) and do not fail the others.
 */
export const createSegmentHandler = ({ intake, access = { open: true } }: WriteDependencies) => {
  const ingest = async ({ segment: { request, writeKey } }: SegmentEvent) => {
    const items = mapCalls(request, writeKey, new Date());
    const label = 'Segment call';
    const outcome = await intake.accept(items, request.batch ? { keepRejectedAs: label } : { keepBlockedAs: label });
    return answerSegment(outcome, request.batch);
  };
  return httpFunction(ingest, { input: [segmentInput(access)], countsRefusals: true });
};

export const handler = createSegmentHandler(
  // Segment's calls that cannot be stored are kept in failed_events; the pool opens the first time one is.
  getWriteDependencies({ insertFailedEvents: (events) => getActivityStore().insertFailedEvents(events) }),
).use(releaseAfterLocalInvoke());
