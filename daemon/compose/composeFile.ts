/**
 * The project's compose file and its web service (the one that runs Django),
 * shared by the environment reader and the port editor. The file is read and
 * parsed within bounds (composeYaml.ts): one that breaks them is refused with
 * ConfigFileRefused, a config error naming it.
 */
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { isMap, isScalar } from 'yaml';
import type { Document, LineCounter, YAMLMap } from 'yaml';
import { readConfigText } from '../base/configFile';
import { COMPOSE_FILE, COMPOSE_MAX_BYTES, parseComposeYaml } from './composeYaml';
import { isMergeKey, lookup, resolved } from './yamlNodes';

/** The names compose looks for, in its order. */
export const COMPOSE_FILES = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml'];

export interface ComposeFile {
  file: string;
  text: string;
  doc: Document.Parsed;
}

/** The first compose file of the project, parsed (null when there is none); ConfigFileRefused when it breaks the bounds. */
export async function readComposeFile(root: string, lineCounter?: LineCounter): Promise<ComposeFile | null> {
  for (const name of COMPOSE_FILES) {
    const file = path.join(root, name);
    const text = await readConfigText(file, COMPOSE_MAX_BYTES, COMPOSE_FILE);
    if (text === null) continue;
    return { file, text, doc: parseComposeYaml(text, file, lineCounter) };
  }
  return null;
}

/** Which compose file the project has, without reading it: what undoing our own edit of it needs, whatever it holds now. */
export async function composeFilePath(root: string): Promise<string | null> {
  for (const name of COMPOSE_FILES) {
    const file = path.join(root, name);
    const stats = await stat(file).catch(() => null);
    if (stats?.isFile()) return file;
  }
  return null;
}

/**
 * The service that runs Django: `web` when there is one, else the only service.
 * Services written as aliases (`web: *django`) are followed to what they stand for.
 */
export function webService(doc: Document.Parsed): { name: string; service: YAMLMap } | null {
  const root = resolved(doc, doc.contents);
  const services = isMap(root) ? lookup(doc, root, 'services') : null;
  if (!isMap(services)) return null;
  const web = lookup(doc, services, 'web');
  if (isMap(web)) return { name: 'web', service: web };
  const all = services.items.filter((pair) => !isMergeKey(pair.key) && isMap(resolved(doc, pair.value)));
  if (all.length !== 1) return null;
  const key = all[0].key;
  return { name: String(isScalar(key) ? key.value : key), service: resolved(doc, all[0].value) as YAMLMap };
}
