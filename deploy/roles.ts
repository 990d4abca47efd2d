import { type Environment, ssmParametersOf } from './environment.js';
import { accessOf } from './function-access.js';
import { logGroupLogicalId, roleLogicalId } from './naming.js';
import type { DeploySettings } from './settings.js';

interface Statement {
  Effect: 'Allow';
  Action: string[];
  Resource: unknown[] | string;
}

// The network-interface actions Lambda needs for an Amazon MQ event source and for a function in a VPC, as one list,
// so that a function with both gets one statement. They take no resource-level restriction, hence "*".
// https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html#events-mq-permissions
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions
const MQ_SOURCE_NETWORK = [
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets',
  'ec2:DescribeVpcs',
];
const VPC_NETWORK = [
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

const sub = (text: string) => ({ 'Fn::Sub': text });

const networkStatement = (mqSource: boolean, inVpc: boolean): Statement[] => {
  const actions = new Set([...(mqSource ? MQ_SOURCE_NETWORK : []), ...(inVpc ? VPC_NETWORK : [])]);
  return actions.size === 0 ? [] : [{ Effect: 'Allow', Action: [...actions].sort(), Resource: '*' }];
};

/** What one function may do: write its own log group, read its own secrets, and what its access entry says. */
export const functionStatements = (
  functionName: string,
  settings: DeploySettings,
  environment: Environment,
): Statement[] => {
  const access = accessOf(functionName);
  const parameters = ssmParametersOf(environment);
  return [
    {
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: [
        sub(
          `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:\${${logGroupLogicalId(functionName)}}:*`,
        ),
      ],
    },
    ...(parameters.length > 0
      ? [
          {
            Effect: 'Allow' as const,
            Action: ['ssm:GetParameters'],
            Resource: parameters.map((name) =>
              sub(`arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${name}`),
            ),
          },
        ]
      : []),
    ...(access.mqSource
      ? [
          { Effect: 'Allow' as const, Action: ['mq:DescribeBroker'], Resource: [settings.brokerArn] },
          { Effect: 'Allow' as const, Action: ['secretsmanager:GetSecretValue'], Resource: [settings.secretArn] },
        ]
      : []),
    ...networkStatement(access.mqSource, settings.vpc !== undefined),
  ];
};

/** One IAM role per function, named in serverless.yml as the function's `role`. */
export const functionRole = (functionName: string, settings: DeploySettings, environment: Environment) => ({
  [roleLogicalId(functionName)]: {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] }],
      },
      Policies: [
        {
          PolicyName: functionName,
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: functionStatements(functionName, settings, environment),
          },
        },
      ],
    },
  },
});
