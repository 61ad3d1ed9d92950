/**
 * Kafka messages as the log writes them: their size as the broker counts it
 * (roughly), requests cut to a size the broker accepts, and the dead letter
 * of a record.
 */
import type { Message, RecordMetadata } from 'kafkajs';
import type { LogRecord } from '../event-log.ts';

/** Bytes a record costs beyond its key and value, roughly (record header, varints). */
const RECORD_OVERHEAD_BYTES = 32;

export interface TopicMessages {
  topic: string;
  messages: Message[];
}

/** Splits the appends of one group into requests of at most maxBytes, keeping order. */
export function splitRequests(group: TopicMessages[], maxBytes: number): TopicMessages[][] {
  const requests: TopicMessages[][] = [];
  let request: TopicMessages[] = [];
  let bytes = 0;
  for (const pending of group) {
    for (const message of pending.messages) {
      const size = messageBytes(message);
      if (bytes > 0 && bytes + size > maxBytes) {
        requests.push(request);
        request = [];
        bytes = 0;
      }
      let entry = request[request.length - 1];
      if (!entry || entry.topic !== pending.topic) {
        entry = { topic: pending.topic, messages: [] };
        request.push(entry);
      }
      entry.messages.push(message);
      bytes += size;
    }
  }
  if (request.length > 0) requests.push(request);
  return requests;
}

/**
 * The messages of a request whose partition the broker's answer does not
 * acknowledge. kafkajs 2.2.4 can resolve a send without some of its records:
 * it keeps each broker's answer across the retries of one send, so when a
 * partition's leader dies mid-send and the partition moves to a broker that
 * had already answered for others, the retry sends nothing for it
 * (tulios/kafkajs#1798). `partitionOf` is the partition kafkajs picked for a
 * message; a message it never placed counts as unacknowledged.
 */
export function unacknowledged(
  request: readonly TopicMessages[],
  answer: readonly RecordMetadata[],
  partitionOf: (message: Message) => number | undefined,
): TopicMessages[] {
  const acknowledged = new Set(answer.filter((r) => r.errorCode === 0).map((r) => `${r.partition}@${r.topicName}`));
  const missing: TopicMessages[] = [];
  for (const { topic, messages } of request) {
    const left = messages.filter((message) => {
      const partition = partitionOf(message);
      return partition === undefined || !acknowledged.has(`${partition}@${topic}`);
    });
    if (left.length > 0) missing.push({ topic, messages: left });
  }
  return missing;
}

export function messageBytes(message: Message): number {
  let bytes = RECORD_OVERHEAD_BYTES + byteLength(message.key) + byteLength(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    bytes += Buffer.byteLength(name) + (typeof value === 'string' || Buffer.isBuffer(value) ? byteLength(value) : 0);
  }
  return bytes;
}

function byteLength(value: string | Buffer | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

/** The record of `topic` as a dead letter: its key and value, and where it came from in headers. */
export function deadLetterMessage(topic: string, record: LogRecord, reason: string): Message {
  return {
    key: record.key,
    value: record.value,
    headers: {
      reason,
      'original-topic': topic,
      'original-partition': String(record.partition),
      'original-offset': record.offset.toString(),
      'dead-lettered-at': new Date().toISOString(),
    },
  };
}
