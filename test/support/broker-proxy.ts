import { afterAll, beforeAll } from 'vitest';
import { serviceConfig } from '../../tools/env.js';
import { TcpProxy, viaProxy } from './tcp-proxy.js';

/**
 * In a `describe`: a TCP fault proxy in front of the shared RabbitMQ, so a test can cut the service's broker link alone.
 * `env` (`extra` and RABBITMQ_URL) points serverless offline at it: RABBITMQ_URL is a getter, read when the stack
 * starts and the proxy listens, so register this before useOfflineStack and pass `env` as it is (spreading it would
 * read the getter too early).
 */
export const useBrokerProxy = (extra: Record<string, string> = {}) => {
  const link = { proxy: undefined as unknown as TcpProxy };
  beforeAll(async () => {
    link.proxy = await TcpProxy.inFrontOf(serviceConfig().rabbitmqUrl, 5672);
  });
  afterAll(async () => {
    await link.proxy?.stop();
  });
  return {
    link,
    env: {
      ...extra,
      get RABBITMQ_URL() {
        return viaProxy(serviceConfig().rabbitmqUrl, link.proxy);
      },
    },
  };
};
