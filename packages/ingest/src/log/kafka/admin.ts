/**
 * The Kafka log's admin side: topic creation at start, and the reads of a
 * group's position (lag, committed offsets) and its rewind for a rebuild.
 * One admin client, connected on first use and replaced after a failure.
 *
 * Every call goes through the retry policy's bounded retry: a
 * broker answer flagged retriable (a group coordinator or partition leader
 * that moved or is not ready yet: "not the correct coordinator", "This
 * server is not the leader for that topic-partition") is asked again, with a
 * fresh client, a few times, as kafkajs's own clients do. kafkajs's admin
 * does not: its fetchTopicOffsets retries only an unknown topic and hands
 * every other broker error straight back, so without this one leader
 * election, or a partition just created (right after CreateTopics the broker
 * may still answer ListOffsets with "not the leader"), failed a lag read,
 * the start-up heal check or the admin log's first read.
 */
import type { Admin, ITopicConfig, Kafka } from 'kafkajs';
import { createRetryPolicy, type Backoff, type RetryPolicy } from '../retry-policy.ts';
import { connected } from './client.ts';
import { unavailable } from './errors.ts';
import { clusterReplicationFactor, createTopicsWithLeaders } from './replication.ts';

/** Admin reads ride out a coordinator or leader move: six runs, about 3 s in all. */
export const ADMIN_ATTEMPTS = 6;
export const ADMIN_BACKOFF: Backoff = { initialMs: 100, maxMs: 1_000 };

export interface KafkaAdmin {
  /** Creates the topics that are missing (true when this call created any); rejects with LogUnavailableError. */
  createTopics(topics: ITopicConfig[]): Promise<boolean>;
  /** The factor new topics get: the brokers' default.replication.factor, at most the brokers there are (replication.ts). */
  replicationFactor(): Promise<number>;
  /** The topic's high watermark (the offset after its last record) by partition. */
  endOffsets(): Promise<Map<number, bigint>>;
  lag(groupId: string): Promise<number>;
  committedOffsets(groupId: string): Promise<Map<number, bigint>>;
  rewindGroup(groupId: string): Promise<Map<number, bigint>>;
  close(): Promise<void>;
}

export function createKafkaAdmin(kafka: Kafka, options: { topic: string; retry?: RetryPolicy; attempts?: number }): KafkaAdmin {
  const { topic } = options;
  const retry = options.retry ?? createRetryPolicy(ADMIN_BACKOFF);
  const attempts = options.attempts ?? ADMIN_ATTEMPTS;
  let admin: Admin | undefined;

  async function getAdmin(): Promise<Admin> {
    admin ??= await connected(kafka.admin(), (next) => next.connect());
    return admin;
  }

  function dropAdmin(): void {
    const old = admin;
    admin = undefined;
    void old?.disconnect().catch(() => {});
  }

  /** `work` with the admin client, retried on a retriable broker answer; failures as LogUnavailableError. */
  async function retrying<T>(what: string, work: (client: Admin) => Promise<T>): Promise<T> {
    try {
      // A client whose metadata is stale keeps asking the old leader: a
      // retry starts from a new one.
      return await retry.retrying(attempts, async () => work(await getAdmin()), dropAdmin);
    } catch (error) {
      dropAdmin();
      throw unavailable(what, error);
    }
  }

  return {
    createTopics(topics) {
      // Retried too: a broker may still say "This server does not host this
      // topic-partition" for a new topic. A second run finds the topics there
      // and waits again. A broker that does not answer is not retried here:
      // kafkajs has already retried the connection and flags its giving up
      // non-retriable.
      return retrying(`cannot create the topics ${topics.map((t) => t.topic).join(' and ')}`, (client) =>
        createTopicsWithLeaders(client, topics),
      );
    },

    replicationFactor() {
      return retrying("cannot read the brokers' default.replication.factor", (client) => clusterReplicationFactor(client));
    },

    endOffsets() {
      return retrying(`cannot read the end offsets of ${topic}`, async (client) => {
        const ends = await client.fetchTopicOffsets(topic);
        return new Map(ends.map((e) => [e.partition, BigInt(e.high)]));
      });
    },

    lag(groupId) {
      return retrying(`cannot read the lag of group ${groupId} on ${topic}`, async (client) => {
        const [ends, committed] = await Promise.all([client.fetchTopicOffsets(topic), client.fetchOffsets({ groupId, topics: [topic] })]);
        const committedByPartition = new Map<number, bigint>();
        for (const entry of committed.find((t) => t.topic === topic)?.partitions ?? []) {
          committedByPartition.set(entry.partition, BigInt(entry.offset));
        }
        let lag = 0n;
        for (const end of ends) {
          const high = BigInt(end.high);
          const low = BigInt(end.low);
          const done = committedByPartition.get(end.partition) ?? -1n;
          // Nothing committed yet (-1): everything still in the log is lag.
          const from = done < 0n ? low : done;
          if (high > from) lag += high - from;
        }
        return Number(lag);
      });
    },

    committedOffsets(groupId) {
      return retrying(`cannot read the committed offsets of group ${groupId} on ${topic}`, async (client) => {
        const committed = await client.fetchOffsets({ groupId, topics: [topic] });
        const offsets = new Map<number, bigint>();
        for (const entry of committed.find((t) => t.topic === topic)?.partitions ?? []) {
          if (BigInt(entry.offset) >= 0n) offsets.set(entry.partition, BigInt(entry.offset));
        }
        return offsets;
      });
    },

    rewindGroup(groupId) {
      return retrying(`cannot rewind group ${groupId} on ${topic}`, async (client) => {
        const ends = await client.fetchTopicOffsets(topic);
        // Explicit offsets rather than resetOffsets({ earliest }): kafkajs's
        // "earliest" is -2, which a group with no consumer keeps as is, and
        // lag() would then read the group as having committed nothing yet.
        await client.setOffsets({ groupId, topic, partitions: ends.map((e) => ({ partition: e.partition, offset: e.low })) });
        return new Map(ends.map((e) => [e.partition, BigInt(e.low)]));
      });
    },

    async close() {
      const old = admin;
      admin = undefined;
      await old?.disconnect().catch(() => {});
    },
  };
}
