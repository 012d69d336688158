/**
 * multisite.json at the project root: what settings cannot say (Test domains,
 * local domain overrides, port, runner, projects sharing the database, the
 * settings module to run with). VS Code
 * validates it with schemas/multisite.schema.json; the daemon checks it again
 * here so the CLI gets the same errors, each with its line. What does not
 * parse, or says something that cannot be used, is an error (the project is
 * not served on a guess: a mistyped runner would start the wrong server); an
 * unknown key is a warning. A file too large or nested too deep to read
 * (configFile.ts, jsonNesting.ts) is an error too.
 */
import * as path from 'node:path';
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';
import { ConfigFileRefused, tooDeep } from '../base/configFile';
import { readText } from '../base/textFile';
import { quoted } from '../base/sentence';
import { jsonTooDeepAt } from './jsonNesting';
import { PROXY_ROUTINGS } from '../../protocol/protocol';
import type { ProxyRouting } from '../../protocol/protocol';
import { routingChoices } from '../../protocol/routingChoices';
import { isModuleName } from '../../protocol/settingsModuleName';

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
  /** Where the sites' own ports begin; false: none; null: not said. */
  sitePorts: number | false | null;
  routing: ProxyRouting | null;
  sites: Map<string, SiteOverride & { line: number }>;
  sharedDatabase: string[];
  /** The settings module to run the project with (`"settings"`), and its line. */
  settings: { module: string; line: number } | null;
  problems: { line: number | null; message: string; severity: 'error' | 'warning' }[];
}

/** The line of an offset in `text`, found by binary search: one scan of the file, however many sites it configures. */
function lineFinder(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let [low, high] = [0, starts.length - 1];
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

export async function readMultisiteJson(root: string): Promise<MultisiteJson | null> {
  const file = path.join(root, MULTISITE_JSON);
  const result: MultisiteJson = {
    file,
    port: null,
    runner: null,
    warmSites: null,
    sitePorts: null,
    routing: null,
    sites: new Map(),
    sharedDatabase: [],
    settings: null,
    problems: [],
  };
  const text = await readText(file, (error) => void result.problems.push({ line: null, message: error.message, severity: 'error' }));
  if (text === undefined) return result;
  if (text === null) return null;
  const lineAt = lineFinder(text);
  const deep = jsonTooDeepAt(text);
  if (deep !== null) {
    const line = lineAt(deep);
    result.problems.push({ line, message: new ConfigFileRefused(file, tooDeep(line)).message, severity: 'error' });
    return result;
  }
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true });
  // The first error only, as a JSON parser stops there: the ones after it follow from it.
  const [syntax] = errors;
  if (syntax) {
    const message = `${MULTISITE_JSON} is not valid JSON (${printParseErrorCode(syntax.error)})`;
    result.problems.push({ line: lineAt(syntax.offset), message, severity: 'error' });
    return result;
  }
  if (!tree || tree.type !== 'object') {
    result.problems.push({ line: 1, message: `${MULTISITE_JSON} must contain a JSON object`, severity: 'error' });
    return result;
  }
  const at = (node: Node | undefined): number => lineAt(node?.offset ?? 0);
  const problem = (node: Node | undefined, message: string, severity: 'error' | 'warning' = 'error'): void =>
    void result.problems.push({ line: at(node), message, severity });

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
      case 'sitePorts':
        if (value === false || (Number.isInteger(value) && (value as number) > 0 && (value as number) < 65536)) result.sitePorts = value as number | false;
        else problem(valueNode, `"sitePorts" in ${MULTISITE_JSON} must be the first port of the sites' own ports (1-65535), or false for none`);
        break;
      case 'routing':
        if (PROXY_ROUTINGS.includes(value as ProxyRouting)) result.routing = value as ProxyRouting;
        else problem(valueNode, `"routing" in ${MULTISITE_JSON} must be ${routingChoices(quoted)}`);
        break;
      case 'sharedDatabase':
        if (isStringArray(value)) result.sharedDatabase = value;
        else problem(valueNode, `"sharedDatabase" in ${MULTISITE_JSON} must be a list of project folders`);
        break;
      case 'settings':
        if (typeof value === 'string' && isModuleName(value)) result.settings = { module: value, line: at(valueNode) };
        else problem(valueNode, `"settings" in ${MULTISITE_JSON} must be a dotted settings module such as "mysite.settings.local"`);
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
            problem(site, `site ${quoted(slug)} in ${MULTISITE_JSON} must be an object with "test" and/or "local"`);
            continue;
          }
          const override: SiteOverride & { line: number } = { line: at(site) };
          if (test) {
            if (typeof test.value === 'string') override.test = test.value;
            else problem(test, `"test" of site ${quoted(slug)} in ${MULTISITE_JSON} must be a domain`);
          }
          if (local) {
            const list: unknown = getNodeValue(local);
            if (isStringArray(list)) override.local = list;
            else problem(local, `"local" of site ${quoted(slug)} in ${MULTISITE_JSON} must be a list of domains`);
          }
          result.sites.set(slug, override);
        }
        break;
      default:
        problem(property, `unknown key ${quoted(key)} in ${MULTISITE_JSON}`, 'warning');
    }
  }
  return result;
}
