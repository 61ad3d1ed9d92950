import type { Message, RecordMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { unacknowledged } from './messages.ts';

const topic = 'cordon-events';
const message = (key: string): Message => ({ key, value: key });
const answer = (...partitions: [string, number][]): RecordMetadata[] =>
  partitions.map(([topicName, partition]) => ({ topicName, partition, errorCode: 0 }));

describe('unacknowledged: what a send must carry again (issue 12: acknowledged events lost after a broker SIGKILL)', () => {
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(message) as [Message, Message, Message, Message];
  const partitionOf = (m: Message) => ({ a: 0, b: 1, c: 2, d: 2 })[m.key as string];

  it('is nothing when every partition of the request is in the answer', () => {
    expect(unacknowledged([{ topic, messages: [a, b, c, d] }], answer([topic, 0], [topic, 1], [topic, 2]), partitionOf)).toEqual([]);
  });

  it("is the records of a partition the answer leaves out: kafkajs's retry skipped a leader that had already answered", () => {
    // Partition 2's leader died mid-send; its new leader had already answered for partition 0.
    expect(unacknowledged([{ topic, messages: [a, b, c, d] }], answer([topic, 0], [topic, 1]), partitionOf)).toEqual([
      { topic, messages: [c, d] },
    ]);
  });

  it('tells topics apart, and does not take an answer with an error code for an acknowledgement', () => {
    const dlq = `${topic}.dlq`;
    const request = [
      { topic, messages: [a, c] },
      { topic: dlq, messages: [b] },
    ];
    expect(unacknowledged(request, [...answer([topic, 0], [dlq, 2]), { topicName: dlq, partition: 1, errorCode: 6 }], partitionOf)).toEqual(
      [
        { topic, messages: [c] },
        { topic: dlq, messages: [b] },
      ],
    );
  });

  it('counts a message kafkajs never placed as not acknowledged', () => {
    expect(unacknowledged([{ topic, messages: [a] }], answer([topic, 0]), () => undefined)).toEqual([{ topic, messages: [a] }]);
  });
});
