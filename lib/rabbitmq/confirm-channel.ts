import { type ChannelModel, type ConfirmChannel, connect } from 'amqplib';
import type { Config } from '../config.js';
import { assertTopology } from './topology.js';

export interface ConfirmLink {
  channel: ConfirmChannel;
  /** Counts messages the broker returned as unroutable, by message id, until their confirm arrives. */
  returned: Map<string, number>;
}

export interface ConfirmChannelSource {
  getLink(): Promise<ConfirmLink>;
  close(): Promise<void>;
}

/**
 * One connection and one confirm channel per process, opened lazily on first use and shared by every invocation,
 * so concurrent requests share one window of confirms. When the connection or channel drops, the next call opens a
 * new one: a Lambda-style function cannot keep a reconnect loop running between invocations.
 */
export const createConfirmChannelSource = (config: Config, connectionName: string): ConfirmChannelSource => {
  let pending: Promise<{ connection: ChannelModel; link: ConfirmLink }> | undefined;

  const open = async () => {
    const connection = await connect(config.rabbitmqUrl, {
      timeout: config.publishTimeoutMs,
      clientProperties: { connection_name: connectionName },
    });
    const forget = () => {
      pending = undefined;
    };
    connection.on('error', forget); // 'close' always follows; the error itself surfaces as a failed publish
    connection.on('close', forget);
    try {
      const channel = await connection.createConfirmChannel();
      const link: ConfirmLink = { channel, returned: new Map() };
      channel.on('error', forget);
      channel.on('close', () => {
        forget();
        connection.close().catch(() => undefined);
      });
      channel.on('return', (message) => {
        const id = String(message.properties.messageId);
        link.returned.set(id, (link.returned.get(id) ?? 0) + 1);
      });
      await assertTopology(channel, config);
      return { connection, link };
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
  };

  return {
    async getLink() {
      pending ??= open().catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
      return (await pending).link;
    },
    async close() {
      const current = pending;
      pending = undefined;
      if (current) await (await current.catch(() => undefined))?.connection.close().catch(() => undefined);
    },
  };
};
