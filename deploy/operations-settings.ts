import { integer } from '../lib/config.js';
import { ConfigError } from '../lib/errors.js';
import type { DeployBlock } from './settings.js';

/** How long the logs are kept, and when the alarms fire and whom they tell. */
export interface OperationsSettings {
  logRetentionDays: number;
  /** SNS topic the alarms notify (alarm and back to OK); undefined: the alarms only show in CloudWatch. */
  alarmTopicArn: string | undefined;
  /** Event lag p99 (received to stored) over which the lag alarm fires, in seconds. */
  alarmLagSeconds: number;
  /** Share of the HTTP API's answers that are 5xx over which the 5xx alarm fires, in percent. */
  alarm5xxPercent: number;
}

// The values CloudWatch Logs accepts for RetentionInDays.
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const SNS_TOPIC_ARN = /^arn:[a-z-]+:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value).trim());

const retention = (raw: string): number => {
  const name = 'LOG_RETENTION_DAYS (or stage parameter logRetentionDays)';
  if (raw === '') return 30;
  if (!RETENTION_DAYS.includes(Number(raw))) {
    throw new ConfigError(name, `must be one of CloudWatch's ${RETENTION_DAYS.join(', ')}, got "${raw}"`);
  }
  return Number(raw);
};

const topic = (raw: string): string | undefined => {
  if (raw === '') return undefined;
  if (!SNS_TOPIC_ARN.test(raw)) {
    throw new ConfigError(
      'ALARM_TOPIC_ARN (or stage parameter alarmTopicArn)',
      `must be an SNS topic ARN like arn:aws:sns:eu-west-1:123456789012:alerts, got "${raw}"`,
    );
  }
  return raw;
};

export const parseOperationsSettings = (block: DeployBlock): OperationsSettings => ({
  logRetentionDays: retention(text(block.logRetentionDays)),
  alarmTopicArn: topic(text(block.alarmTopicArn)),
  alarmLagSeconds: integer({ ALARM_LAG_SECONDS: text(block.alarmLagSeconds) }, 'ALARM_LAG_SECONDS', 300, 1, 86_400),
  alarm5xxPercent: integer({ ALARM_5XX_PERCENT: text(block.alarm5xxPercent) }, 'ALARM_5XX_PERCENT', 5, 1, 100),
});
