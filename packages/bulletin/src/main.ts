/** `npm run bulletin -- --region 410184 --date 2020-02-13 --out DIR` */
import { bulletinCommand } from './command.ts';

bulletinCommand()
  .exitOverride((error) => {
    // commander has printed its one line (a missing or bad option); --help exits 0.
    process.exit(error.exitCode);
  })
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`bulletin: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    process.exitCode = 1;
  });
