/**
 * multisite.json at the project root: what settings cannot say (Test domains,
 * local domain overrides, port, runner, projects sharing the database). VS Code
 * validates it with schemas/multisite.schema.json; the daemon checks it again
 * here so the CLI gets the same errors, each with its line.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';

export const MULTISITE_JSON = 'multisite.json';

export interface SiteOverride {
  test?: string;
  local?: string[];
}

export interface MultisiteJson {
  file: string;
  port: number | null;
  runner: 'local' | 'compose' | null;
  warmSites: number | null;
  routing: 'siteId' | 'host' | null;
  sites: Map<string, SiteOverride & { line: number }>;
  sharedDatabase: string[];
  problems: { line: number; message: string }[];
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

export async function readMultisiteJson(root: string): Promise<MultisiteJson | null> {
  const file = path.join(root, MULTISITE_JSON);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  const result: MultisiteJson = { file, port: null, runner: null, warmSites: null, routing: null, sites: new Map(), sharedDatabase: [], problems: [] };
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true });
  for (const e of errors)
    result.problems.push({ line: lineAt(text, e.offset), message: `${MULTISITE_JSON} is not valid JSON (${printParseErrorCode(e.error)})` });
  if (!tree || tree.type !== 'object') {
    if (errors.length === 0) result.problems.push({ line: 1, message: `${MULTISITE_JSON} must contain a JSON object` });
    return result;
  }
  const at = (node: Node | undefined): number => lineAt(text, node?.offset ?? 0);
  const problem = (node: Node | undefined, message: string): void => void result.problems.push({ line: at(node), message });

  for (const property of tree.children ?? []) {
    const key = property.children?.[0]?.value as string;
    const valueNode = property.children?.[1];
    const value: unknown = valueNode ? getNodeValue(valueNode) : undefined;
    switch (key) {
      case '$schema':
        break;
      case 'port':
        if (Number.isInteger(value) && (value as number) > 0 && (value as number) < 65536) result.port = value as number;
        else problem(valueNode, `"port" in ${MULTISITE_JSON} must be a TCP port number (1-65535)`);
        break;
      case 'runner':
        if (value === 'local' || value === 'compose') result.runner = value;
        else problem(valueNode, `"runner" in ${MULTISITE_JSON} must be "local" or "compose"`);
        break;
      case 'warmSites':
        if (Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 50) result.warmSites = value as number;
        else problem(valueNode, `"warmSites" in ${MULTISITE_JSON} must be a whole number from 0 (restart per switch) to 50`);
        break;
      case 'routing':
        if (value === 'siteId' || value === 'host') result.routing = value;
        else problem(valueNode, `"routing" in ${MULTISITE_JSON} must be "siteId" (one server per site) or "host" (one server, the proxy sets Host)`);
        break;
      case 'sharedDatabase':
        if (isStringArray(value)) result.sharedDatabase = value;
        else problem(valueNode, `"sharedDatabase" in ${MULTISITE_JSON} must be a list of project folders`);
        break;
      case 'sites':
        if (!valueNode || valueNode.type !== 'object') {
          problem(valueNode, `"sites" in ${MULTISITE_JSON} must map site slugs to {"test", "local"}`);
          break;
        }
        for (const site of valueNode.children ?? []) {
          const slug = site.children?.[0]?.value as string;
          const entry: unknown = site.children?.[1] ? getNodeValue(site.children[1]) : undefined;
          const test = findNodeAtLocation(site.children?.[1] ?? site, ['test']);
          const local = findNodeAtLocation(site.children?.[1] ?? site, ['local']);
          if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
            problem(site, `site "${slug}" in ${MULTISITE_JSON} must be an object with "test" and/or "local"`);
            continue;
          }
          const override: SiteOverride & { line: number } = { line: at(site) };
          if (test) {
            if (typeof test.value === 'string') override.test = test.value;
            else problem(test, `"test" of site "${slug}" in ${MULTISITE_JSON} must be a domain`);
          }
          if (local) {
            const list: unknown = getNodeValue(local);
            if (isStringArray(list)) override.local = list;
            else problem(local, `"local" of site "${slug}" in ${MULTISITE_JSON} must be a list of domains`);
          }
          result.sites.set(slug, override);
        }
        break;
      default:
        problem(property, `unknown key "${key}" in ${MULTISITE_JSON}`);
    }
  }
  return result;
}
