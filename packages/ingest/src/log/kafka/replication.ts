/**
 * The replication factor Cordon's topics are made with: the cluster's own
 * `default.replication.factor`, as its operator set it (kafka.sh: 1 on one
 * node, 3 on a cluster; infra/compose.yaml: 3), never more than the brokers
 * it has. kafkajs speaks CreateTopics versions older than the one where -1
 * means "the broker's default" (KIP-464), so the value is read and sent
 * explicitly. `min.insync.replicas` is not set per topic: the topics inherit
 * the brokers' (2 on a 3-node cluster), which is what makes acks=all mean
 * "on two brokers".
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Admin, ITopicConfig } from 'kafkajs';
import { retriableFlag } from '../retry-policy.ts';

/** kafkajs's ConfigResourceTypes.BROKER. */
const BROKER_RESOURCE = 4;

export async function clusterReplicationFactor(admin: Admin): Promise<number> {
  const cluster = await admin.describeCluster();
  const broker = cluster.brokers[0];
  if (!broker) return 1;
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: BROKER_RESOURCE, name: String(broker.nodeId), configNames: ['default.replication.factor'] }],
  });
  const configured = Number(
    described.resources[0]?.configEntries.find((e) => e.configName === 'default.replication.factor')?.configValue ?? 1,
  );
  return Math.max(1, Math.min(Number.isInteger(configured) ? configured : 1, cluster.brokers.length));
}

/**
 * Creates the topics that are missing (true when it made any) and waits
 * until every partition has a leader. kafkajs's own `waitForLeaders` gives
 * up on the first "unknown topic" answer, which on a cluster is what a
 * broker the new topic has not reached yet says for a moment, as does a
 * new leader ("not the leader") asked for offsets: this waits through both.
 */
export async function createTopicsWithLeaders(admin: Admin, topics: ITopicConfig[], timeoutMs = 30_000): Promise<boolean> {
  const created = await admin.createTopics({ waitForLeaders: false, topics });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.topic) });
      if (metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) {
        // And the leaders answer for them (ListOffsets goes to each partition's leader).
        for (const { topic } of topics) await admin.fetchTopicOffsets(topic);
        return created;
      }
    } catch (error) {
      if (retriableFlag(error) !== true || Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`the topics ${topics.map((t) => t.topic).join(', ')} have no leader after ${timeoutMs} ms`);
    await delay(100);
  }
}
