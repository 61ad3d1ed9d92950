/**
 * Where the main thread's time goes: a V8 CPU profile (node:inspector) taken
 * around a phase of the bench, each sample given to the stage of the nearest
 * frame on its stack that a rule names. Samples in no stage are "other";
 * V8's own (idle), (garbage collector) and (program) keep their names.
 *
 * Only this thread is sampled: chDB runs its queries on libuv's worker
 * threads and Kafka in its own JVM, so their time shows here as (idle), the
 * main thread waiting for them.
 */
import { Session } from 'node:inspector/promises';

export interface StageRule {
  stage: string;
  /** Matched against the frame's script URL (file path or node:internal name). */
  url: RegExp;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface StageTimes {
  /** Milliseconds per stage, over the whole phase. */
  ms: Map<string, number>;
  wallMs: number;
}

/** Starts sampling (every 250 µs); the returned function stops it and gives the profile. */
export async function startProfile(): Promise<() => Promise<CpuProfile>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 250 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    session.disconnect();
    return profile;
  };
}

/** Runs `phase` under the profiler; its result and the time per stage. */
export async function profiled<T>(rules: readonly StageRule[], phase: () => Promise<T>): Promise<{ result: T; stages: StageTimes }> {
  const stop = await startProfile();
  const outcome = await phase().then(
    (result) => ({ ok: true as const, result }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const profile = await stop();
  if (!outcome.ok) throw outcome.error;
  return { result: outcome.result, stages: stageTimes(profile, rules) };
}

export function stageTimes(profile: CpuProfile, rules: readonly StageRule[]): StageTimes {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const stageOf = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = stageOf.get(id);
    if (known) return known;
    const node = byId.get(id)!;
    const name = node.callFrame.functionName;
    let stage: string;
    if (name === '(idle)' || name === '(garbage collector)' || name === '(program)') stage = name;
    else {
      const rule = rules.find((r) => node.callFrame.url !== '' && r.url.test(node.callFrame.url));
      const up = parent.get(id);
      stage = rule ? rule.stage : up === undefined ? 'other' : resolve(up);
    }
    stageOf.set(id, stage);
    return stage;
  };
  const ms = new Map<string, number>();
  // timeDeltas[i] is the time between sample i-1 and sample i: it is sample i's.
  profile.samples.forEach((id, i) => {
    const stage = resolve(id);
    ms.set(stage, (ms.get(stage) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return { ms, wallMs: (profile.endTime - profile.startTime) / 1000 };
}

/**
 * The stages as printed lines: µs per event and share of the phase, busiest
 * first; `(idle)` last, as "waiting" (for chDB, the broker, the disk, the
 * client). Stages listed in `leaveOut` (the bench's own client) are shown
 * apart and not in the shares.
 */
export function stageLines(stages: StageTimes, events: number, leaveOut: readonly string[] = []): string[] {
  const counted = [...stages.ms].filter(([stage]) => !leaveOut.includes(stage));
  const total = counted.reduce((sum, [, ms]) => sum + ms, 0);
  const order = counted.filter(([s]) => s !== '(idle)').sort((a, b) => b[1] - a[1]);
  const idle = counted.find(([s]) => s === '(idle)');
  const line = (stage: string, ms: number) =>
    `    ${stage.padEnd(38)} ${((ms * 1000) / events).toFixed(1).padStart(7)} µs/event  ${((100 * ms) / total).toFixed(1).padStart(5)} %`;
  const lines = order.map(([stage, ms]) => line(stage, ms));
  if (idle) lines.push(line('waiting (idle main thread)', idle[1]));
  for (const stage of leaveOut) {
    const ms = stages.ms.get(stage);
    if (ms) lines.push(`    (not counted) ${stage}: ${((ms * 1000) / events).toFixed(1)} µs/event`);
  }
  return lines;
}

const own = (path: string) => new RegExp(`/packages/${path}`);

/** The ingest path's stages, by the file a frame is in (packages/ingest/src/http/*, the log, hono, …). */
export const ingestStages: StageRule[] = [
  { stage: 'bench client (undici)', url: /node:internal\/deps\/undici|\/bench\// },
  { stage: 'body read + JSON parse', url: own('ingest/src/http/parse-body') },
  { stage: 'region check', url: own('regions/') },
  { stage: 'validation (zod)', url: /\/packages\/ingest\/src\/http\/validate-events|\/packages\/schemas\// },
  { stage: 'duplicate look-up', url: /\/packages\/ingest\/src\/(id-index|stored-ids)/ },
  { stage: 'envelope encode', url: own('ingest/src/log/envelope') },
  { stage: 'Kafka send (kafkajs)', url: /\/packages\/ingest\/src\/log\/kafka\/|\/node_modules\/kafkajs\// },
  { stage: 'log append + fsync (embedded)', url: own('ingest/src/log/embedded/') },
  { stage: 'auth (edge)', url: own('edge/') },
  { stage: 'route (summary, metrics)', url: /\/packages\/ingest\/src\/(http|metrics)|prom-client/ },
  { stage: 'HTTP (node:http, hono)', url: /node:_http|node:net|node:internal\/(http|stream|streams|net)|\/node_modules\/(hono|@hono)\// },
];

/** The consumer's stages: decode, plan, rows, insert, progress, the log's read and commit. */
export const consumerStages: StageRule[] = [
  { stage: 'decode (JSON + envelope schema)', url: /\/packages\/ingest\/src\/log\/envelope|\/packages\/schemas\// },
  { stage: 'row build', url: own('ingest/src/consumer/rows') },
  { stage: 'TabSeparated lines', url: own('ingest/src/consumer/tsv') },
  { stage: 'plan (look-ups, voids)', url: /\/packages\/ingest\/src\/(consumer\/(plan|stored-voids|void-scope)|stored-ids)/ },
  { stage: 'ClickHouse insert (client)', url: /\/packages\/ingest\/src\/consumer\/write|\/node_modules\/(@clickhouse|chdb)\// },
  { stage: 'progress record', url: own('ingest/src/consumer/heal') },
  { stage: 'Kafka fetch + commit (kafkajs)', url: /\/packages\/ingest\/src\/log\/kafka\/|\/node_modules\/kafkajs\// },
  { stage: 'log read + commit (embedded)', url: own('ingest/src/log/embedded/') },
  { stage: 'consumer loop', url: own('ingest/src/consumer/') },
  { stage: 'query API (status polls)', url: /\/packages\/(query-api|server|edge)\/|\/node_modules\/(hono|@hono)\// },
  { stage: 'bench client (undici)', url: /node:internal\/deps\/undici|\/bench\// },
];
