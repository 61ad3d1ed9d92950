import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Issue 10: the server's entry answers --help and refuses what it does not know, instead of starting a server. */
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('packages/server/src/main.ts', () => {
  it('answers --help with its commands, exit 0', () => {
    const help = run('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: cordon-server \[options\] \[command\]\n/);
    for (const command of ['all', 'demo', 'ingest', 'consumer', 'query-api'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(run('all', '--help')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: cordon-server all \[options\]\n/) });
  });

  it('refuses an unknown command (pointing at the CLI), an unknown option and extra arguments in one line, exit 2', () => {
    expect(run('import', 'foo.csv')).toEqual({
      code: 2,
      stdout: '',
      stderr: "cordon-server: unknown command 'import'; the command line of a running server is npx cordon (see --help)\n",
    });
    expect(run('all', '--bogus')).toEqual({ code: 2, stdout: '', stderr: "cordon-server: unknown option '--bogus' (see --help)\n" });
    expect(run('demo', 'extra')).toMatchObject({ code: 2, stdout: '' });
  });
});
