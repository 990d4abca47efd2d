import { describe, expect, it } from 'vitest';
import { ConfigError } from '../lib/errors.js';
import { offlineNodeArgs, parseToolSettings } from './env.js';

describe('tool settings', () => {
  it('gives the local serverless offline process a heap bound, 256 MiB unless configured', () => {
    expect(offlineNodeArgs(parseToolSettings({}))).toEqual(['--max-old-space-size=256']);
    expect(offlineNodeArgs(parseToolSettings({ OFFLINE_MAX_OLD_SPACE_MB: '1024' }))).toEqual([
      '--max-old-space-size=1024',
    ]);
  });

  it('reads the bench switches', () => {
    expect(parseToolSettings({ BENCH_QUICK: '1', BENCH_OFFLINE_ARGS: ' --noTimeout  --foo ' }).bench).toEqual({
      quick: true,
      cpuProfile: false,
      offlineArgs: ['--noTimeout', '--foo'],
    });
  });

  it('keeps the Lambda invoke endpoint closed unless OFFLINE_LAMBDA_PORT gives a port', () => {
    expect(parseToolSettings({}).offlineLambdaPort).toBeUndefined();
    expect(parseToolSettings({ OFFLINE_LAMBDA_PORT: ' ' }).offlineLambdaPort).toBeUndefined();
    expect(parseToolSettings({ OFFLINE_LAMBDA_PORT: '8002' }).offlineLambdaPort).toBe(8002);
  });

  it('leaves the number of persist runners to the runtime unless OFFLINE_PERSIST_RUNNERS gives one', () => {
    expect(parseToolSettings({}).offlinePersistRunners).toBeUndefined();
    expect(parseToolSettings({ OFFLINE_PERSIST_RUNNERS: ' ' }).offlinePersistRunners).toBeUndefined();
    expect(parseToolSettings({ OFFLINE_PERSIST_RUNNERS: '3' }).offlinePersistRunners).toBe(3);
  });

  it.each([
    ['OFFLINE_MAX_OLD_SPACE_MB', '16'],
    ['OFFLINE_PERSIST_RUNNERS', '0'],
    ['OFFLINE_LAMBDA_PORT', '0'],
    ['OFFLINE_LAMBDA_PORT', '65536'],
    ['OFFLINE_LAMBDA_PORT', 'on'],
    ['PERSIST_BATCH_SIZE', '0'],
  ])('names %s when it is %j', (variable, value) => {
    expect(() => parseToolSettings({ [variable]: value })).toThrowError(ConfigError);
    expect(() => parseToolSettings({ [variable]: value })).toThrowError(
      new RegExp(`^Invalid configuration: ${variable} `),
    );
  });
});
