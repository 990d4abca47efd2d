import { loadConfig, type ParameterReader } from '../config.js';

/**
 * Reads the SSM parameters named by `ssm:/…` settings, decrypted, in calls of ten (GetParameters' limit). The AWS
 * SDK is loaded only then: it is part of the Lambda runtime (left out of the bundles), and a developer machine,
 * whose `.env` holds the values themselves, never loads it.
 */
const readSsmParameters: ParameterReader = async (names) => {
  const { SSMClient, GetParametersCommand } = await import('@aws-sdk/client-ssm');
  const client = new SSMClient({});
  const values: Record<string, string> = {};
  for (let start = 0; start < names.length; start += 10) {
    const { Parameters = [] } = await client.send(
      new GetParametersCommand({ Names: names.slice(start, start + 10), WithDecryption: true }),
    );
    for (const { Name, Value } of Parameters) if (Name && Value !== undefined) values[Name] = Value;
  }
  client.destroy();
  return values;
};

// At start, before any module reads the configuration: every handler imports this first (a bundle runs its modules
// in import order, so the wait covers them all). A warm instance keeps what it read.
await loadConfig(readSsmParameters);
