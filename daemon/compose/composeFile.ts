/**
 * The project's compose file and its web service (the one that runs Django),
 * shared by the environment reader and the port editor.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { isMap, parseDocument } from 'yaml';
import type { Document, LineCounter, YAMLMap } from 'yaml';

/** The names compose looks for, in its order. */
export const COMPOSE_FILES = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml'];

export interface ComposeFile {
  file: string;
  text: string;
  doc: Document.Parsed;
}

/** The first compose file of the project, parsed (null when there is none). */
export async function readComposeFile(root: string, lineCounter?: LineCounter): Promise<ComposeFile | null> {
  for (const name of COMPOSE_FILES) {
    const file = path.join(root, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    return { file, text, doc: parseDocument(text, { lineCounter }) };
  }
  return null;
}

/** The service that runs Django: `web` when there is one, else the only service. */
export function webService(doc: Document.Parsed): { name: string; service: YAMLMap } | null {
  const services = doc.get('services', true);
  if (!isMap(services)) return null;
  const web = services.get('web', true);
  if (isMap(web)) return { name: 'web', service: web };
  const all = services.items.filter((pair) => isMap(pair.value));
  return all.length === 1 ? { name: String((all[0].key as { value?: unknown })?.value ?? all[0].key), service: all[0].value as YAMLMap } : null;
}
