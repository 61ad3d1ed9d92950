#!/usr/bin/env node
/**
 * `cordon`, the command line of a Cordon server. The only module of the CLI
 * that reads the environment (CORDON_URL, CORDON_API_KEY) and decides how
 * the process ends.
 */
import { CommanderError } from 'commander';
import { CommandError, UsageError } from './connect.ts';
import { createProgram } from './program.ts';

const program = createProgram({
  stdout: process.stdout,
  stderr: process.stderr,
  defaults: {
    ...(process.env['CORDON_URL'] ? { url: process.env['CORDON_URL'] } : {}),
    ...(process.env['CORDON_API_KEY'] ? { key: process.env['CORDON_API_KEY'] } : {}),
  },
});

try {
  if (process.argv.length <= 2) {
    program.outputHelp();
    process.exitCode = 0;
  } else {
    await program.parseAsync(process.argv);
    // A mounted command (bulletin) may set process.exitCode itself.
    process.exitCode = program.exitCode ?? process.exitCode ?? 0;
  }
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version are "errors" to commander; they exit 0. Its message was written already.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof UsageError) {
    process.stderr.write(`cordon: ${error.message}\n`);
    process.exitCode = 2;
  } else if (error instanceof CommandError) {
    process.stderr.write(`cordon: ${error.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`cordon: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
}
