import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

/**
 * A bar on a terminal; on a pipe or a log file, one plain line per step
 * (a bar's carriage returns would be noise there).
 */
export function createProgress(total: number, out: NodeJS.WritableStream & { isTTY?: boolean }, what: string): Progress {
  if (out.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: out as NodeJS.WriteStream, format: `${what} [{bar}] {value}/{total} events`, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return { update: (done) => bar.update(done), stop: () => bar.stop() };
  }
  return {
    update: (done) => out.write(`${what}: ${done}/${total} events\n`),
    stop: () => undefined,
  };
}
