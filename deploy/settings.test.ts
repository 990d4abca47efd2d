import { describe, expect, it } from 'vitest';
import { ConfigError } from '../lib/errors.js';
import { parseDeploySettings } from './settings.js';

describe('deploy settings', () => {
  it.each([
    ['', undefined],
    ['0.5', undefined],
    ['0', 0],
    ['7', 7],
    ['300', 300],
  ])('reads PERSIST_BATCH_WINDOW_SECONDS %j as %j (undefined: left out, for AWS’s 500 ms default)', (raw, seconds) => {
    expect(parseDeploySettings({ batchingWindowSeconds: raw }).batchingWindowSeconds).toBe(seconds);
  });

  it.each(['1.5', '301', 'soon'])('refuses PERSIST_BATCH_WINDOW_SECONDS %j, naming it', (raw) => {
    expect(() => parseDeploySettings({ batchingWindowSeconds: raw })).toThrowError(ConfigError);
    expect(() => parseDeploySettings({ batchingWindowSeconds: raw })).toThrowError(/PERSIST_BATCH_WINDOW_SECONDS/);
  });

  it('maps every consumed shard: RABBITMQ_SHARDS, or RABBITMQ_CONSUMED_SHARDS while lowered shards drain', () => {
    expect(parseDeploySettings({}).shards).toBe(1);
    expect(parseDeploySettings({ rabbitmqShards: 4 }).shards).toBe(4);
    expect(parseDeploySettings({ rabbitmqShards: 2, rabbitmqConsumedShards: 4 }).shards).toBe(4);
    expect(() => parseDeploySettings({ rabbitmqShards: 4, rabbitmqConsumedShards: 2 })).toThrowError(
      /RABBITMQ_CONSUMED_SHARDS must be at least RABBITMQ_SHARDS/,
    );
  });

  it.each([
    ['', undefined],
    [' , ', undefined],
    ['*', ['*']],
    ['https://app.example.com', ['https://app.example.com']],
    ['https://app.example.com, http://localhost:5173', ['https://app.example.com', 'http://localhost:5173']],
    ['http://127.0.0.1:8080,https://[::1]:8443', ['http://127.0.0.1:8080', 'https://[::1]:8443']],
  ])('reads CORS_ORIGINS %j as %j (undefined: no CORS configuration)', (raw, origins) => {
    expect(parseDeploySettings({ corsOrigins: raw }).corsOrigins).toEqual(origins);
  });

  it.each([
    'https://app.example.com/',
    'https://app.example.com/page',
    'app.example.com',
    'https://App.example.com',
    'https://app.example.com:443',
    'https://user@app.example.com',
    'ftp://files.example.com',
    'null',
    '*, https://app.example.com',
  ])('refuses CORS_ORIGINS %j, naming it', (raw) => {
    expect(() => parseDeploySettings({ corsOrigins: raw })).toThrowError(ConfigError);
    expect(() => parseDeploySettings({ corsOrigins: raw })).toThrowError(
      /CORS_ORIGINS \(or stage parameter corsOrigins\) must be/,
    );
  });
});
