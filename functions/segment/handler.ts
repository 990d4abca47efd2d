import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DependencyUnavailableError, PublishError, ValidationError } from '../../lib/errors.js';
import { type Access, writeAccess } from '../../lib/http/access.js';
import { httpErrorHandler } from '../../lib/http/error-handler.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import { recordOutcome } from '../../lib/http/record-outcome.js';
import { observe } from '../../lib/observability/observe.js';
import { noteAccepted, notePublishFailed, noteUnusable } from '../../lib/observability/pipeline-log.js';
import type { ActivityStore, EventPublisher, FailedEvent } from '../../lib/ports.js';
import { getConfig } from '../../lib/runtime/config.js';
import { getActivityStore, getPublisher } from '../../lib/runtime/dependencies.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';
import { sortCalls } from './accept-calls.js';
import { readBody } from './read-body.js';
import { bodyLimitOf, endpointOf, toSegmentRequest } from './segment-request.js';
import { bodyKey, headerKey, writeKeyChecker } from './write-key.js';

interface SegmentDependencies {
  publisher: EventPublisher;
  /** Where calls that can never be stored are recorded (failed_events). */
  store: Pick<ActivityStore, 'insertFailedEvents'>;
  access?: Access;
}

const recordUnusable = async (store: SegmentDependencies['store'], unusable: FailedEvent[]): Promise<void> => {
  if (unusable.length === 0) return;
  try {
    await store.insertFailedEvents(unusable);
  } catch (error) {
    // Not recorded means not answered: the SDK retries the batch, and its usable calls are stored once anyway.
    throw new DependencyUnavailableError('Could not record the unusable calls: the database is unavailable', {
      cause: error,
    });
  }
  noteUnusable(unusable);
};

/**
 * `POST /v1/{track,identify,page,screen,group,alias,batch,import}`: Segment's HTTP Tracking API. 200
 * `{"success":true}` once every usable call is confirmed by the broker; unusable calls of a batch are recorded in
 * failed_events and do not fail the others; 400 only when nothing is usable; 503 when the broker does not confirm.
 */
export const createSegmentHandler = ({ publisher, store, access = { open: true } }: SegmentDependencies) => {
  const checkWriteKeys = writeKeyChecker(access);
  const ingest = async (event: APIGatewayProxyEventV2) => {
    const endpoint = endpointOf(event.routeKey, event.rawPath);
    const fromHeader = headerKey(event);
    // A wrong key in the header is refused before the body is read.
    if (fromHeader !== undefined) checkWriteKeys([fromHeader]);
    const body = readBody(event, bodyLimitOf(endpoint));
    const writeKey = checkWriteKeys([fromHeader, bodyKey(body)]);
    const request = toSegmentRequest(body, endpoint);
    const { messages, unusable, problems } = sortCalls(request, writeKey, new Date());
    const counts = { accepted: messages.length, rejected: unusable.length };
    if (messages.length === 0) {
      if (request.batch) await recordUnusable(store, unusable);
      throw new ValidationError('No call in the request can be stored', problems, {
        body: { success: false, ...counts },
      });
    }
    await recordUnusable(store, unusable);
    const outcomes = await publisher.publishAll(messages);
    const failed = messages.filter((_, index) => outcomes[index] !== undefined);
    if (failed.length > 0 || outcomes.length !== messages.length) {
      const cause = outcomes.find((outcome) => outcome !== undefined);
      notePublishFailed(
        failed.map((message) => message.event_id),
        cause,
      );
      throw new PublishError('The message broker did not confirm every call: retry the request', { cause });
    }
    noteAccepted(messages.map((message) => message.event_id));
    return jsonResponse(200, { success: true, ...counts });
  };
  return middy<APIGatewayProxyEventV2>(ingest).use(observe()).use(recordOutcome('batch')).use(httpErrorHandler());
};

export const handler = createSegmentHandler({
  publisher: getPublisher(),
  store: getActivityStore(),
  access: writeAccess(getConfig()),
}).use(releaseAfterLocalInvoke());
