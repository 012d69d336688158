/**
 * The daemon's compose port edit in a process of its own, for
 * test/integration/composeEditCrash.test.ts: publishes the web port of FILE
 * on 80 and restores it (ComposePortEdits with the journal in HOME), and
 * kills itself with SIGKILL just before its FAULT-th change to the disk
 * (creating, writing, flushing, renaming, removing a file, in the journal or
 * beside the compose file). FAULT 0 kills nothing: the worker then prints how
 * many changes the whole edit made, so the test can kill it before each one.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { ComposePortEdits } from '../../daemon/compose/composePortEdits';

const [home, file, faultArg] = process.argv.slice(2);
const faultAt = Number(faultArg);
let changes = 0;

function change(): void {
  changes++;
  if (changes === faultAt) process.kill(process.pid, 'SIGKILL');
}

const WRITE_FLAGS = fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_APPEND;
const writes = (flags: unknown): boolean => (typeof flags === 'number' ? (flags & WRITE_FLAGS) !== 0 : typeof flags === 'string' && /[wa+]/.test(flags));

type Fn = (...args: unknown[]) => unknown;
/** Wraps `name` of `target` so that a call counts as a change (when `counts` says so for its arguments). */
function intercept(target: object, name: string, counts: (args: unknown[]) => boolean = () => true): void {
  const record = target as Record<string, Fn>;
  const original = record[name];
  record[name] = function (this: unknown, ...args: unknown[]) {
    if (counts(args)) change();
    return original.apply(this, args);
  };
}

for (const name of ['writeFileSync', 'writeSync', 'renameSync', 'rmSync', 'unlinkSync', 'fsyncSync', 'ftruncateSync', 'fchmodSync', 'fchownSync'])
  intercept(fs, name);
intercept(fs, 'openSync', (args) => writes(args[1]));
for (const name of ['writeFile', 'rename', 'rm', 'unlink', 'truncate', 'chmod', 'chown']) intercept(fs.promises, name);
intercept(fs.promises, 'open', (args) => writes(args[1]));
syncBuiltinESMExports();

async function main(): Promise<void> {
  // The methods of an open file (FileHandle) live on its prototype.
  const probe = await fs.promises.open(file, 'r');
  const handle = Object.getPrototypeOf(probe) as object;
  await probe.close();
  for (const name of ['writeFile', 'write', 'truncate', 'sync', 'datasync', 'chmod', 'chown']) intercept(handle, name);

  const edits = new ComposePortEdits(home);
  await edits.publishOn80(file);
  await edits.restore(file);
  process.stdout.write(`${JSON.stringify({ changes })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
