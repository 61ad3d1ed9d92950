/** `@cordon/cli`: the `cordon` program, for embedding (main.ts runs it). */
export { createProgram, type CliIo } from './program.ts';
export { canonicalJson, createContentIds } from './content-ids.ts';
export { describeTallyColumns, readTallyHeader } from './tally-columns.ts';
export { readTallyRow, tallyEvents } from './tally-rows.ts';
