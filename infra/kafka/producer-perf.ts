/**
 * Runs Apache Kafka's ProducerPerformance (the Java client, acks=all) through
 * producer-perf.sh and parses its summary: the reference the ingest benchmark
 * divides by, measured against the same broker in the same run.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = join(dirname(fileURLToPath(import.meta.url)), 'producer-perf.sh');

export interface ProducerPerformanceOptions {
  /** Bootstrap servers, "host:port". */
  brokers: string[];
  topic: string;
  records: number;
  /** Bytes per record. */
  recordSize: number;
  /** More producer properties, e.g. { 'linger.ms': '5' }. */
  producerProps?: Record<string, string>;
}

export interface ProducerPerformanceResult {
  recordsPerSec: number;
  avgLatencyMs: number;
  mbPerSec: number;
  maxLatencyMs: number;
  /** The summary line as ProducerPerformance printed it. */
  raw: string;
}

const SUMMARY = /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency/;

/** Parses ProducerPerformance's summary line. */
export function parseProducerPerformance(line: string): ProducerPerformanceResult {
  const match = SUMMARY.exec(line);
  if (!match) throw new Error(`not a ProducerPerformance summary: ${line}`);
  return {
    recordsPerSec: Number(match[2]),
    mbPerSec: Number(match[3]),
    avgLatencyMs: Number(match[4]),
    maxLatencyMs: Number(match[5]),
    raw: line.trim(),
  };
}

export function runProducerPerformance(options: ProducerPerformanceOptions): Promise<ProducerPerformanceResult> {
  const props = Object.entries(options.producerProps ?? {}).map(([name, value]) => `${name}=${value}`);
  const args = [script, options.brokers.join(','), options.topic, String(options.records), String(options.recordSize), ...props];
  return new Promise((resolve, reject) => {
    execFile('bash', args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`producer-perf.sh failed: ${error.message}\n${stderr}`, { cause: error }));
        return;
      }
      try {
        const lines = stdout.trim().split('\n');
        resolve(parseProducerPerformance(lines[lines.length - 1] ?? ''));
      } catch (parseError) {
        reject(parseError);
      }
    });
  });
}
