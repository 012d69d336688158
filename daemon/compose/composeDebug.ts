/**
 * Debugging the compose web service (issue 24): its own command run under
 * debugpy, listening inside the container on a port published on the host's
 * loopback only, and where the service's files are on the host (its bind
 * mounts), for a debugger's `pathMappings`. What compose will run is read
 * from `compose config`, which resolves what the file leaves to it
 * (interpolation, relative paths, both volume syntaxes), not from the file.
 * debugpy must be in the service's image: the host's copy is built for the
 * host's Python, and the image's own PYTHONPATH cannot be seen from outside.
 */
import * as path from 'node:path';
import { parse } from 'yaml';
import type { PathMapping } from '../../protocol/protocol';
import { lastLine } from '../base/sentence';
import { splitCommand } from './commandWords';
import { run } from './composeCli';

/** Where debugpy listens inside the container (its own network namespace: nothing else of ours is there). */
export const DEBUGPY_CONTAINER_PORT = 5678;

/** What the web service runs and mounts, as `compose config` resolved it. */
export interface ServiceRun {
  command: string[] | null;
  mounts: PathMapping[];
}

/** The python executable a command may start with: `python`, `python3`, `/usr/local/bin/python3.12`. */
const PYTHON = /^python[\d.]*$/;

/** The web service's command and bind mounts from `compose config`'s output (YAML in both compose versions). */
export function serviceRun(configText: string, service: string): ServiceRun {
  const config = parse(configText) as { services?: Record<string, { command?: unknown; volumes?: unknown[] }> } | null;
  const web = config?.services?.[service];
  const command = web?.command;
  return {
    command: typeof command === 'string' ? splitCommand(command) : Array.isArray(command) ? command.map(String) : null,
    mounts: (web?.volumes ?? []).flatMap(bindMount),
  };
}

/** A bind mount as host folder -> container folder: v1 prints `/host:/app:rw`, v2 `{type: bind, source, target}`. */
function bindMount(volume: unknown): PathMapping[] {
  if (typeof volume === 'string') {
    const [source, target] = volume.split(':');
    return path.isAbsolute(source) && target ? [{ localRoot: source, remoteRoot: target }] : [];
  }
  const long = volume as { type?: unknown; source?: unknown; target?: unknown };
  if (long.type !== 'bind' || typeof long.source !== 'string' || typeof long.target !== 'string') return [];
  return [{ localRoot: long.source, remoteRoot: long.target }];
}

/**
 * The mappings a debugger needs: mounts that put a host folder elsewhere in the container, the most
 * specific first (debugpy takes the first that matches). A folder mounted at its own path needs none.
 */
export function debugPathMappings(mounts: PathMapping[]): PathMapping[] {
  return mounts.filter((m) => m.localRoot !== m.remoteRoot).sort((a, b) => b.localRoot.length - a.localRoot.length);
}

/**
 * `command` run under debugpy: `-m debugpy --listen` inserted after the python executable and its own
 * options, before the script (`python manage.py runserver …` -> `python -m debugpy --listen
 * 0.0.0.0:5678 manage.py runserver …`). Throws one sentence when the command is not a Python
 * script run so (`sh -c …`, an entrypoint script, none at all).
 */
export function debugCommand(command: string[] | null, service: string, composeFile: string): string[] {
  const name = path.basename(composeFile);
  const needs = `Debug Site runs it under debugpy, so it must run a Python script directly (as \`python manage.py runserver 0.0.0.0:8000\`)`;
  if (!command?.length) throw new Error(`the ${service} service in ${name} has no command of its own (its image's runs): ${needs}; give it one.`);
  const script = command.findIndex((word, i) => i > 0 && !word.startsWith('-'));
  const options = command.slice(1, script);
  if (!PYTHON.test(path.basename(command[0])) || script < 0 || !command[script].endsWith('.py') || options.some((o) => o === '-m' || o === '-c'))
    throw new Error(`the ${service} service in ${name} runs \`${command.join(' ')}\`: ${needs}.`);
  return [...command.slice(0, script), '-m', 'debugpy', '--listen', `0.0.0.0:${DEBUGPY_CONTAINER_PORT}`, ...command.slice(script)];
}

/** What a web service whose image has no debugpy logs when its command runs under it. */
export const NO_DEBUGPY = /No module named debugpy/;

/** Why a debugged web service did not start, when its image has no debugpy. */
export function noDebugpySentence(service: string, cli: string[]): string {
  return `debugpy is not installed in the ${service} service's image: add debugpy to the requirements it installs (or \`RUN pip install debugpy\` in its Dockerfile), rebuild it with \`${cli.join(' ')} build ${service}\`, then debug the site again.`;
}

/** How the web service runs under debugpy: its command so, debugpy's port here, and the debugger's path mappings. */
export interface ServiceDebug {
  command: string[];
  port: number;
  pathMappings: PathMapping[];
}

/** The web service of `composeFile` under debugpy published on `port`, from what `compose config` says it runs and mounts. */
export async function serviceDebug(cli: string[], composeFile: string, root: string, service: string, port: number): Promise<ServiceDebug> {
  const config = await run(cli[0], [...cli.slice(1), '-f', composeFile, 'config'], root, 60_000);
  if (!config.ok) throw new Error(`${cli.join(' ')} config failed: ${lastLine(config.stderr) ?? 'no message'}`);
  const { command, mounts } = serviceRun(config.stdout, service);
  return { command: debugCommand(command, service, composeFile), port, pathMappings: debugPathMappings(mounts) };
}
