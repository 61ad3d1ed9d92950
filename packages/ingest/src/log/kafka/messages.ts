/**
 * Kafka messages as the log writes them: their size as the broker counts it
 * (roughly), requests cut to a size the broker accepts, and the dead letter
 * of a record.
 */
import type { Message } from 'kafkajs';
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
