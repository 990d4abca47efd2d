import { functionLogicalId } from './naming.js';
import type { DeploySettings } from './settings.js';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** The broker's name, which Amazon MQ's CloudWatch metrics use as their Broker dimension (its ARN's 7th field). */
const brokerName = (brokerArn: string) => brokerArn.split(':')[6] ?? brokerArn;

const FIVE_MINUTES = 300;

/**
 * The stack's alarms (docs/deploy.md, "Alarms", says what to do when each fires). Each notifies the SNS topic of
 * ALARM_TOPIC_ARN when it fires and when it clears; without one they show in CloudWatch only.
 */
export const alarms = (settings: DeploySettings, stackName: string): Resources => {
  const { alarmTopicArn, alarmLagSeconds, alarm5xxPercent } = settings.operations;
  const actions = alarmTopicArn ? { AlarmActions: [alarmTopicArn], OKActions: [alarmTopicArn] } : {};
  const common = { ...actions, TreatMissingData: 'notBreaching' };
  const persist = { Ref: functionLogicalId('persist') };
  return {
    // Amazon MQ for RabbitMQ publishes each queue's depth (dimensions Broker, VirtualHost, Queue).
    DeadLettersAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: `${stackName}-dead-letters`,
        AlarmDescription: `Messages are in ${settings.queue}.dlq: events that persist could not store. docs/deploy.md#alarms`,
        Namespace: 'AWS/AmazonMQ',
        MetricName: 'MessageCount',
        Dimensions: [
          { Name: 'Broker', Value: brokerName(settings.brokerArn) },
          { Name: 'VirtualHost', Value: settings.virtualHost },
          { Name: 'Queue', Value: `${settings.queue}.dlq` },
        ],
        Statistic: 'Maximum',
        Period: FIVE_MINUTES,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        ...common,
      },
    },
    PersistFailuresAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: `${stackName}-persist-failures`,
        AlarmDescription: 'persist failed or was throttled: batches go back to the queue. docs/deploy.md#alarms',
        Metrics: [
          { Id: 'errors', ReturnData: false, MetricStat: lambdaStat('Errors', persist) },
          { Id: 'throttles', ReturnData: false, MetricStat: lambdaStat('Throttles', persist) },
          { Id: 'failures', Expression: 'errors + throttles', Label: 'persist errors and throttles', ReturnData: true },
        ],
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        ...common,
      },
    },
    // persist's EMF metric EventLag (lib/observability/pipeline-log.ts): received by the API to stored.
    EventLagAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: `${stackName}-event-lag`,
        AlarmDescription: `Event lag p99 over ${alarmLagSeconds} s: storing falls behind. docs/deploy.md#alarms`,
        Namespace: 'UserActivity',
        MetricName: 'EventLag',
        Dimensions: [{ Name: 'service', Value: 'user-activity' }],
        ExtendedStatistic: 'p99',
        Period: FIVE_MINUTES,
        EvaluationPeriods: 2,
        Threshold: alarmLagSeconds * 1000,
        ComparisonOperator: 'GreaterThanThreshold',
        ...common,
      },
    },
    Http5xxAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: `${stackName}-http-5xx`,
        AlarmDescription: `Over ${alarm5xxPercent}% of the API's answers are 5xx. docs/deploy.md#alarms`,
        Metrics: [
          { Id: 'errors', ReturnData: false, MetricStat: apiStat('5xx') },
          { Id: 'requests', ReturnData: false, MetricStat: apiStat('Count') },
          {
            Id: 'rate',
            Expression: 'IF(requests > 0, 100 * errors / requests, 0)',
            Label: '5xx share (%)',
            ReturnData: true,
          },
        ],
        EvaluationPeriods: 2,
        Threshold: alarm5xxPercent,
        ComparisonOperator: 'GreaterThanThreshold',
        ...common,
      },
    },
  };
};

const lambdaStat = (metric: string, functionName: unknown) => ({
  Metric: { Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: [{ Name: 'FunctionName', Value: functionName }] },
  Period: FIVE_MINUTES,
  Stat: 'Sum',
});

const apiStat = (metric: string) => ({
  Metric: {
    Namespace: 'AWS/ApiGateway',
    MetricName: metric,
    Dimensions: [{ Name: 'ApiId', Value: { Ref: 'HttpApi' } }],
  },
  Period: FIVE_MINUTES,
  Stat: 'Sum',
});
