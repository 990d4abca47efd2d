import { type Channel, type ChannelModel, type ConsumeMessage, connect, type RecoveringChannelModel } from 'amqplib';
import type { Config } from '../../lib/config.js';
import { loggableId } from '../../lib/observability/loggable-reason.js';
import type { RmqEvent } from '../../lib/rabbitmq/rmq-event.js';
import { assertTopology } from '../../lib/rabbitmq/topology.js';
import type { RabbitMqMapping } from './mappings.js';
import { toRmqEvent } from './to-rmq-event.js';

export interface PollerLog {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
}

export interface PollerOptions {
  mapping: Pick<RabbitMqMapping, 'arn' | 'queue' | 'virtualHost' | 'batchSize' | 'batchingWindowMs'>;
  config: Config;
  invoke(event: RmqEvent): Promise<unknown>;
  log: PollerLog;
}

interface Delivery {
  channel: Channel;
  message: ConsumeMessage;
  /** performance.now() when it arrived: a batch goes when full or when its oldest message has waited the window. */
  arrivedAt: number;
}

/**
 * Batches the broker may deliver ahead, still invoking one at a time: with one, each batch would wait for the next to
 * arrive after its ack; with two, the next is on hand when persist finishes.
 */
const PREFETCH_BATCHES = 2;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * Emulates one Lambda event source mapping for RabbitMQ: consumes with manual acks and a prefetch of two batches,
 * groups deliveries up to batchSize or the batching window, runs one batch at a time, acks it when the function
 * succeeds and requeues it (after a backoff) when it fails, so the whole batch is retried as on AWS. The queue's
 * delivery limit dead-letters a batch that never succeeds. amqplib's recovery reconnects after a broker restart.
 */
export class RabbitMqPoller {
  #connection?: RecoveringChannelModel;
  #model?: ChannelModel;
  #channel?: Channel;
  #buffer: Delivery[] = [];
  #timer?: NodeJS.Timeout;
  #reattach?: NodeJS.Timeout;
  #inFlight?: Promise<void>;
  #failures = 0;
  readonly #stopping = new AbortController();

  constructor(private readonly options: PollerOptions) {}

  async start(): Promise<void> {
    const { config, log, mapping } = this.options;
    this.#connection = await connect(config.rabbitmqUrl, {
      clientProperties: { connection_name: `offline-rabbitmq:${mapping.queue}` },
      recovery: {
        waitForConnect: false,
        initialDelay: 200,
        maxDelay: 5000,
        setup: (model: ChannelModel) => this.#attach(model),
      },
    });
    this.#connection.on('error', () => undefined); // 'disconnect' reports it
    this.#connection.on('disconnect', (error: Error) => {
      this.#model = undefined;
      log.warn(`RabbitMQ connection lost (${error?.message ?? 'closed'}); reconnecting`);
    });
    this.#connection.on('connect', () =>
      log.info(`polling queue "${mapping.queue}" (batch ${mapping.batchSize}, window ${mapping.batchingWindowMs} ms)`),
    );
    this.#connection.on('connect-failed', (error: Error) =>
      log.warn(`RabbitMQ unreachable: ${error.message}; retrying`),
    );
  }

  async #attach(model: ChannelModel): Promise<void> {
    const { config, mapping } = this.options;
    this.#model = model;
    const channel = await model.createChannel();
    channel.on('error', () => undefined); // 'close' follows
    channel.on('close', () => {
      if (this.#channel !== channel) return;
      // Unacked deliveries go back to the queue with the channel; forget them here.
      this.#channel = undefined;
      this.#buffer = this.#buffer.filter((delivery) => delivery.channel !== channel);
      this.#reattachLater(model);
    });
    this.#channel = channel;
    await assertTopology(channel, config);
    await channel.prefetch(mapping.batchSize * PREFETCH_BATCHES);
    await this.#consume(channel);
  }

  async #consume(channel: Channel): Promise<void> {
    await channel.consume(
      this.options.mapping.queue,
      (message) => {
        if (message) this.#receive({ channel, message, arrivedAt: performance.now() });
        else this.#onCancelled(channel);
      },
      { noAck: false },
    );
  }

  /** The broker cancels the consumer when the queue is deleted: declare it again and resume. */
  #onCancelled(channel: Channel): void {
    this.options.log.warn(
      `consumer of "${this.options.mapping.queue}" cancelled by the broker (queue deleted?); declaring it again`,
    );
    setTimeout(() => {
      if (this.#stopping.signal.aborted || this.#channel !== channel) return;
      assertTopology(channel, this.options.config)
        .then(() => this.#consume(channel))
        .catch(() => undefined); // a failure closes the channel, and the close handler re-attaches
    }, 500);
  }

  /** A channel can close while its connection lives on (e.g. a declaration refused): open a new one. */
  #reattachLater(model: ChannelModel): void {
    if (this.#reattach) return;
    this.#reattach = setTimeout(() => {
      this.#reattach = undefined;
      if (this.#stopping.signal.aborted || this.#model !== model || this.#channel) return;
      this.#attach(model).catch((error: Error) => {
        // The failed channel's close handler schedules the next attempt.
        this.options.log.warn(`cannot consume "${this.options.mapping.queue}": ${error.message}; retrying`);
      });
    }, 1000);
  }

  #receive(delivery: Delivery): void {
    this.#buffer.push(delivery);
    this.#schedule();
  }

  /**
   * Invokes at once when a whole batch is waiting; otherwise when the oldest waiting message has waited the batching
   * window (measured from its arrival, so a batch in flight does not restart the clock, nor cut the wait short).
   */
  #schedule(): void {
    const oldest = this.#buffer[0];
    if (this.#inFlight || !oldest || this.#stopping.signal.aborted) return;
    if (this.#buffer.length >= this.options.mapping.batchSize) {
      this.#flush();
      return;
    }
    const wait = Math.max(0, oldest.arrivedAt + this.options.mapping.batchingWindowMs - performance.now());
    this.#timer ??= setTimeout(() => this.#flush(), wait);
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#inFlight || this.#buffer.length === 0 || this.#stopping.signal.aborted) return;
    const batch = this.#buffer.splice(0, this.options.mapping.batchSize);
    this.#inFlight = this.#process(batch).finally(() => {
      this.#inFlight = undefined;
      this.#schedule();
    });
  }

  async #process(batch: Delivery[]): Promise<void> {
    const { invoke, mapping, config, log } = this.options;
    try {
      await invoke(
        toRmqEvent(
          batch.map((d) => d.message),
          mapping,
        ),
      );
      this.#failures = 0;
      this.#ack(batch);
    } catch (error) {
      this.#failures += 1;
      const delay = Math.min(config.retryBackoffMaxMs, 250 * 2 ** (this.#failures - 1));
      log.warn(`batch of ${batch.length} failed (attempt ${this.#failures}); requeueing in ${delay} ms`, {
        queue: mapping.queue,
        // track publishes each event with its event_id as the message id; another producer's may be anything.
        message_ids: batch.map((d) => loggableId(d.message.properties.messageId)),
        error: (error as Error).message,
      });
      await sleep(delay, this.#stopping.signal);
      this.#requeue(batch);
    }
  }

  /**
   * Acks a batch with one frame per channel ("everything up to the last delivery"): batches leave the
   * buffer in delivery order and one at a time, so everything unsettled below the batch's last tag is the batch.
   * A delivery whose channel has closed is already back on the queue (and persist is idempotent).
   */
  #ack(batch: Delivery[]): void {
    const lastByChannel = new Map<Channel, ConsumeMessage>();
    for (const { channel, message } of batch) lastByChannel.set(channel, message);
    for (const [channel, last] of lastByChannel) {
      try {
        channel.ack(last, true);
      } catch {
        // channel closed: the broker redelivers its deliveries
      }
    }
  }

  /**
   * Returns a failed batch to its queue with basic.reject, one frame per message: since RabbitMQ 4.0 only a reject
   * counts towards the quorum queue's delivery limit (a nack does not), and without the count a batch that always
   * fails would loop forever instead of being dead-lettered. https://www.rabbitmq.com/docs/nack
   */
  #requeue(batch: Delivery[]): void {
    for (const { channel, message } of batch) {
      try {
        channel.reject(message, true);
      } catch {
        // channel closed: the broker redelivers its deliveries
      }
    }
  }

  /** Stops consuming, lets the batch in flight finish, then closes; unacked messages return to the queue. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    clearTimeout(this.#timer);
    clearTimeout(this.#reattach);
    await this.#inFlight;
    this.#buffer = [];
    // Channel first: an ack followed at once by a connection close can be overtaken by it (RabbitMQ 3.10 quorum
    // queues then redeliver the message; harmless, since inserts are idempotent, but wasted work).
    await this.#channel?.close().catch(() => undefined);
    await this.#connection?.close().catch(() => undefined);
  }
}
