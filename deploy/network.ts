import type { DeploySettings } from './settings.js';

/** provider.vpc of serverless.yml, or null to leave the functions outside a VPC (a local run, a plain package). */
export const vpcConfig = (settings: DeploySettings): DeploySettings['vpc'] | null => settings.vpc ?? null;

/**
 * What a function in a VPC needs to manage its network interfaces, and nothing more. osls would attach the managed
 * policy AWSLambdaVPCAccessExecutionRole instead, which also allows writing to every log group of the account
 * (stack-extensions.ts removes it). These EC2 actions take no resource-level restriction, hence "*".
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions
 */
export const vpcStatements = (settings: DeploySettings) =>
  settings.vpc
    ? [
        {
          Effect: 'Allow',
          Action: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          Resource: '*',
        },
      ]
    : [];
