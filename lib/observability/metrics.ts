import { appendFileSync } from 'node:fs';
import process from 'node:process';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { getConfig, type MetricsOutput } from '../config.js';
import type { RefusalReason } from '../errors.js';
import { SERVICE_NAME } from './logger.js';

export { MetricUnit };

const NAMESPACE = 'UserActivity';

/** Why a write endpoint refused a request or an event (the `reason` dimension of EventsRejected). */
export type RejectionReason = RefusalReason;

/**
 * The functions' metrics, in CloudWatch's embedded metric format (EMF): on AWS the log line is the metric, with no
 * agent. One set per invocation, written when it ends; EventsRejected goes in sets of its own so that its `reason`
 * dimension does not split the other metrics.
 */
export const metrics = new Metrics({ namespace: NAMESPACE, serviceName: SERVICE_NAME });

const rejections = new Map<RejectionReason, Metrics>();

export const countRejected = (reason: RejectionReason, count = 1): void => {
  let set = rejections.get(reason);
  if (!set) {
    set = new Metrics({ namespace: NAMESPACE, serviceName: SERVICE_NAME, defaultDimensions: { reason } });
    rejections.set(reason, set);
  }
  set.addMetric('EventsRejected', MetricUnit.Count, count);
};

const writeLines = (output: MetricsOutput, lines: string[]): void => {
  if (lines.length === 0 || output.kind === 'off') return;
  const text = `${lines.join('\n')}\n`;
  if (output.kind === 'file') appendFileSync(output.path, text);
  else process.stdout.write(text);
};

/** Writes what this invocation recorded (nothing when metrics are off) and starts afresh. */
export const flushMetrics = (output: MetricsOutput = getConfig().metricsOutput): void => {
  const lines: string[] = [];
  for (const set of [metrics, ...rejections.values()]) {
    if (output.kind !== 'off' && set.hasStoredMetrics()) lines.push(JSON.stringify(set.serializeMetrics()));
    set.clearMetrics();
  }
  writeLines(output, lines);
};
