// `npm run admin -- <command>`: administration from a shell, with the server's own settings
// (docs/operations.md). Exit codes: 0 done, 1 refused, 64 a usage mistake, 78 a bad setting.
import { loadConfigOrExit } from '../config';
import { createLogger } from '../observability/logger';
import { CommandError, runCommand } from './admin-commands';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (then Enter and Ctrl-D): ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<number> {
  const config = loadConfigOrExit();
  const logger = createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn');
  try {
    await runCommand(process.argv.slice(2), config, logger, {
      readInput: readStdin,
      print: (line) => console.log(line),
    });
    return 0;
  } catch (err) {
    if (err instanceof CommandError) {
      console.error(err.message);
      return err.exitCode;
    }
    console.error(err instanceof Error ? err.message : err);
    return 1;
  }
}

main().then((code) => process.exit(code));
