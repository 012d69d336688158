/**
 * Environment variables a project declares for itself: `.env-local` and `.env`
 * at the root, and the web service's `environment` and `env_file`s in
 * docker-compose.yml. Each value keeps the file and line it came from. A file
 * refused for its size or depth (configFile.ts) is an error at that file; the
 * others are still read.
 */
import * as path from 'node:path';
import { LineCounter, isMap, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import { readComposeFile, webService } from '../compose/composeFile';
import type { ComposeFile } from '../compose/composeFile';
import { ConfigFileRefused } from '../base/configFile';
import { readText } from '../base/textFile';

export interface EnvVar {
  value: string;
  file: string;
  line: number;
}

export interface EnvRead {
  /** Later sources win: .env, then .env-local, then compose env_file, then compose environment. */
  vars: Map<string, EnvVar>;
  files: string[];
  /** What could not be read; an `error` keeps the project from being served (a file refused whole), the rest are warnings. */
  problems: { file: string; line: number | null; message: string; severity?: 'error' }[];
}

export const ENV_FILES = ['.env', '.env-local'];

/** Records a file refused for its size or depth as an error at that file, watched so that it is read again once fixed. */
function refused(into: EnvRead, error: ConfigFileRefused): void {
  into.files.push(error.file);
  into.problems.push({ file: error.file, line: error.line, message: error.message, severity: 'error' });
}

/** The text of `file`: null when there is none, undefined when it was refused (and recorded in `into`). */
function readEnvFile(file: string, into: EnvRead): Promise<string | null | undefined> {
  return readText(file, (error) => refused(into, error));
}

/**
 * Parses a dotenv file: `KEY=value`, optional `export `, `#` comments, and
 * single-, double- or un-quoted values (double quotes understand \n, \" and \\).
 * Hand-written because the usual parsers do not report line numbers.
 */
export function parseDotenv(text: string, file: string, into: EnvRead): void {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!match) {
      into.problems.push({ file, line: index + 1, message: `${path.basename(file)} line ${index + 1} is not KEY=value` });
      return;
    }
    let value = match[2];
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.lastIndexOf(quote) > 0) {
      value = value.slice(1, value.lastIndexOf(quote));
      if (quote === '"') value = value.replace(/\\([n"\\])/g, (_m, c: string) => (c === 'n' ? '\n' : c));
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    into.vars.set(match[1], { value, file, line: index + 1 });
  });
}

function scalarText(node: unknown): string | null {
  if (!isScalar(node)) return null;
  const value = node.value;
  if (value === null) return '';
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
}

async function readCompose(root: string, into: EnvRead): Promise<void> {
  const lineCounter = new LineCounter();
  let compose: ComposeFile | null;
  try {
    compose = await readComposeFile(root, lineCounter);
  } catch (error) {
    if (!(error instanceof ConfigFileRefused)) throw error;
    return refused(into, error);
  }
  if (!compose) return;
  const { file, doc } = compose;
  const name = path.basename(file);
  into.files.push(file);
  const lineOf = (node: Node | null | undefined): number => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    into.problems.push({ file, line: error.linePos?.[0].line ?? null, message: `${name} is not valid YAML: ${error.message.split('\n')[0]}` });
    return;
  }
  const web = webService(doc)?.service;
  if (!web) return;

  const envFiles = web.get('env_file', true);
  const envFileNodes = isSeq(envFiles) ? envFiles.items : envFiles ? [envFiles] : [];
  for (const node of envFileNodes) {
    const relative = isMap(node) ? scalarText(node.get('path', true)) : scalarText(node);
    if (!relative) continue;
    const envFile = path.resolve(root, relative);
    const content = await readEnvFile(envFile, into);
    if (content === undefined) continue;
    if (content === null) {
      const required = !isMap(node) || node.get('required') !== false;
      if (required) into.problems.push({ file, line: lineOf(node as Node), message: `env_file ${relative} named in ${name} does not exist` });
      continue;
    }
    into.files.push(envFile);
    parseDotenv(content, envFile, into);
  }

  const environment = web.get('environment', true);
  if (isMap(environment)) {
    for (const pair of environment.items) {
      const key = scalarText(pair.key);
      const value = scalarText(pair.value);
      if (key && value !== null) into.vars.set(key, { value, file, line: lineOf(pair.key as Node) });
    }
  } else if (isSeq(environment)) {
    for (const item of environment.items) {
      const entry = scalarText(item);
      const eq = entry?.indexOf('=') ?? -1;
      if (entry && eq > 0) into.vars.set(entry.slice(0, eq), { value: entry.slice(eq + 1), file, line: lineOf(item as Node) });
    }
  }
}

export async function readEnvSources(root: string): Promise<EnvRead> {
  const read: EnvRead = { vars: new Map(), files: [], problems: [] };
  for (const name of ENV_FILES) {
    const file = path.join(root, name);
    const text = await readEnvFile(file, read);
    if (text === null || text === undefined) continue;
    read.files.push(file);
    parseDotenv(text, file, read);
  }
  await readCompose(root, read);
  return read;
}
