/**
 * The Kafka log's writes: one idempotent producer (acks=all, one request in
 * flight), fed by a queue. Appends that arrive while a request is out are
 * sent together in the next request (group commit), so concurrent callers
 * share round trips and kafkajs never sees two sends at once, which its
 * idempotent producer does not handle well (sequence numbers are assigned
 * per send). A send resolves only once the broker acknowledged every record
 * of it.
 *
 * Failure: any failed send rejects its appends with LogUnavailableError (or
 * the broker's error when the records themselves are at fault, e.g. too
 * large) within `appendTimeoutMs`, and the producer is thrown away. The next
 * send starts a new producer (new producer id, sequences from 0), so a send
 * whose outcome was unknown can never leave the partition with a sequence
 * gap that blocks every later write. A rejected append may still have been
 * written: the caller retries it, and the consumer deduplicates on event id.
 *
 * A send is checked against the broker's answer: records of a partition the
 * answer does not acknowledge are sent again (kafkajs can resolve without
 * them when a leader moves mid-send, see `unacknowledged`), by the same
 * producer, so the broker drops any it already has by their sequence.
 */
import { Partitioners, type ICustomPartitioner, type Kafka, type Message, type Producer } from 'kafkajs';
import type { Logger } from '../../logger.ts';
import { connected } from './client.ts';
import { classifyWriteError, withDeadline } from './errors.ts';
import { messageBytes, splitRequests, unacknowledged, type TopicMessages } from './messages.ts';

/** Sends of the records an answer left out, after the first, before the append fails. */
const MAX_RESENDS = 5;

export interface ProducerQueueOptions {
  /** The log's topic, for log lines. */
  topic: string;
  /** A send rejects after this long without an acknowledgement. */
  appendTimeoutMs: number;
  /** Records are sent in requests of at most about this many bytes. */
  maxRequestBytes: number;
  logger?: Logger | undefined;
}

export interface ProducerQueue {
  /** Sends the messages to `topic`, in call order with other sends; resolves once the broker acknowledged them all. */
  send(topic: string, messages: Message[]): Promise<void>;
  /** Waits until every queued send has its answer, then disconnects the producer. */
  close(): Promise<void>;
}

interface PendingSend {
  topic: string;
  messages: Message[];
  bytes: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export function createProducerQueue(kafka: Kafka, options: ProducerQueueOptions): ProducerQueue {
  const { appendTimeoutMs, maxRequestBytes, logger } = options;
  const queue: PendingSend[] = [];
  // `draining` is cleared by drain() itself, synchronously as it sees the
  // queue empty: an append made by a caller its last resolve woke up must
  // start a new drain, not wait on one that is already over.
  let draining = false;
  let drained: Promise<void> = Promise.resolve();
  let producer: Producer | undefined;
  // The partition kafkajs placed each message in (its default partitioner,
  // watched): what the answer of a send is checked against.
  const placed = new WeakMap<Message, number>();
  const watchedPartitioner: ICustomPartitioner = () => {
    const pick = Partitioners.DefaultPartitioner();
    return (args) => {
      const partition = pick(args);
      placed.set(args.message, partition);
      return partition;
    };
  };

  async function getProducer(): Promise<Producer> {
    if (producer) return producer;
    const created = kafka.producer({
      idempotent: true,
      // Idempotence needs one request in flight per connection, so that a
      // retried batch cannot overtake the one after it.
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: watchedPartitioner,
      // Few, short retries: the append's own deadline decides, and a failed
      // send replaces the producer anyway.
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    producer = await connected(created, (next) => withDeadline(next.connect(), appendTimeoutMs, 'connecting the producer'));
    return producer;
  }

  /** Sends one request until the broker acknowledged every partition it holds records of. */
  async function sendAcknowledged(request: TopicMessages[]): Promise<void> {
    let pending = request;
    // One producer for the send and its resends: a resend must carry the same
    // sequence numbers, and once the deadline has given up on this send no
    // resend may start a producer of its own beside the next send's.
    const p = await getProducer();
    for (let resend = 0; ; resend++) {
      const answer = await p.sendBatch({ topicMessages: pending, acks: -1, timeout: appendTimeoutMs });
      const missing = unacknowledged(pending, answer, (message) => placed.get(message));
      if (missing.length === 0) return;
      const records = missing.reduce((n, m) => n + m.messages.length, 0);
      if (resend >= MAX_RESENDS) {
        throw new Error(`the broker's answer left out ${records} records after ${MAX_RESENDS} resends`);
      }
      logger?.warn(
        { topic: options.topic, records, partitions: [...new Set(missing.flatMap((m) => m.messages.map((x) => placed.get(x))))] },
        "kafka's answer left out partitions of the send (a leader moved mid-send); sending their records again",
      );
      pending = missing;
    }
  }

  function dropProducer(): void {
    const old = producer;
    producer = undefined;
    void old?.disconnect().catch(() => {});
  }

  async function drain(): Promise<void> {
    try {
      while (queue.length > 0) {
        // Take whole appends up to the request size (at least one); an append
        // larger than that is sent alone, in several requests, in order.
        const group: PendingSend[] = [];
        let bytes = 0;
        while (queue.length > 0) {
          const next = queue[0]!;
          if (group.length > 0 && bytes + next.bytes > maxRequestBytes) break;
          group.push(queue.shift()!);
          bytes += next.bytes;
        }
        try {
          for (const request of splitRequests(group, maxRequestBytes)) {
            await withDeadline(sendAcknowledged(request), appendTimeoutMs, 'waiting for the broker to acknowledge');
          }
          for (const pending of group) pending.resolve();
        } catch (error) {
          dropProducer();
          const failure = classifyWriteError(error);
          logger?.warn({ err: error, topic: options.topic, appends: group.length }, 'kafka append failed');
          for (const pending of group) pending.reject(failure);
        }
      }
    } finally {
      // Synchronously after the last resolve, before any woken caller runs.
      draining = false;
    }
  }

  return {
    send(topic, messages) {
      if (messages.length === 0) return Promise.resolve();
      let bytes = 0;
      for (const message of messages) bytes += messageBytes(message);
      return new Promise<void>((resolve, reject) => {
        queue.push({ topic, messages, bytes, resolve, reject });
        if (!draining) {
          draining = true;
          drained = drain();
        }
      });
    },

    async close() {
      // Appends already queued still get their answer.
      await drained;
      const old = producer;
      producer = undefined;
      await old?.disconnect().catch(() => {});
    },
  };
}
