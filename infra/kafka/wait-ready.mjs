// Exits 0 once the broker at argv[2] answers a metadata request through
// kafkajs (the client the code uses), 1 if it does not within argv[3] ms.
// argv[4], a node id: that node must also be among the brokers the answer
// lists (a cluster node is ready once the controller has registered it);
// argv[5], a count: at least that many brokers must be listed.
// Used by kafka.sh; the broker accepts connections a little before it can
// serve requests, so an open port alone is not "ready".
import { Kafka, logLevel } from 'kafkajs';

const [broker = '127.0.0.1:19092', timeoutArg = '30000', nodeArg = '', countArg = '1'] = process.argv.slice(2);
const deadline = Date.now() + Math.max(1000, Number(timeoutArg));

const kafka = new Kafka({
  clientId: 'cordon-kafka-wait-ready',
  brokers: broker.split(','),
  logLevel: logLevel.NOTHING,
  connectionTimeout: 1000,
  requestTimeout: 3000,
  retry: { retries: 0 },
});

for (;;) {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    await admin.disconnect();
    const listed = nodeArg === '' || cluster.brokers.some((b) => b.nodeId === Number(nodeArg));
    if (cluster.brokers.length >= Math.max(1, Number(countArg)) && listed && cluster.controller !== null) process.exit(0);
  } catch {
    await admin.disconnect().catch(() => {});
  }
  if (Date.now() > deadline) process.exit(1);
  await new Promise((resolve) => setTimeout(resolve, 250));
}
