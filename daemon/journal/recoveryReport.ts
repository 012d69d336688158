/**
 * What a start-up recovery did, for people: the changes a daemon that stopped
 * unexpectedly had left (servers, runs of the project's code, hosts entries,
 * compose edits and services), counted and named by project in one sentence,
 * then what could not be undone. The daemon keeps it for the first client that
 * asks (TakeRecoveryReport), which shows it once. Null when nothing was left:
 * a daemon that exits normally undoes everything itself.
 */
import * as path from 'node:path';
import type { RecoveredChange, RecoveryReport } from '../../protocol/protocol';
import { endSentence, listed, oneLine } from '../base/sentence';
import type { Recovery } from './recoverable';

/** A clause in the passive: "its 3 servers" + "were" + "stopped". */
interface Clause {
  subject: string;
  verb: 'was' | 'were';
  participle: string;
}

const counted = (n: number, one: string, many: string): string => (n === 1 ? one : `${n} ${many}`);

/** The folder names of the changes' paths, each once, in order. */
function names(changes: readonly RecoveredChange[], of: (p: string) => string = (p) => p): string {
  return listed([...new Set(changes.map((c) => oneLine(path.basename(of(c.path)))))]);
}

function clauses(undone: readonly RecoveredChange[]): Clause[] {
  const of = (kind: RecoveredChange['kind']): RecoveredChange[] => undone.filter((c) => c.kind === kind);
  const result: Clause[] = [];
  const servers = of('server').length;
  const runs = of('run').length;
  if (servers + runs > 0) {
    const items = [
      ...(servers > 0 ? [counted(servers, 'server', 'servers')] : []),
      ...(runs > 0 ? [counted(runs, "run of the project's code", "runs of the project's code")] : []),
    ];
    result.push({ subject: `its ${listed(items)}`, verb: servers + runs > 1 ? 'were' : 'was', participle: 'stopped' });
  }
  const services = of('composeService');
  if (services.length > 0)
    result.push({ subject: `the compose web service of ${names(services)}`, verb: services.length > 1 ? 'were' : 'was', participle: 'stopped' });
  const hosts = of('hostsEntries');
  if (hosts.length > 0) result.push({ subject: `the hosts entries of ${names(hosts)}`, verb: 'were', participle: 'removed' });
  const writes = of('hostsWrite');
  if (writes.length > 0)
    result.push({
      subject: `its part-done ${writes.length > 1 ? 'writes' : 'write'} of ${listed(writes.map((c) => oneLine(c.path)))}`,
      verb: writes.length > 1 ? 'were' : 'was',
      participle: 'finished',
    });
  const ports = of('composePort');
  if (ports.length > 0)
    result.push({
      subject: `the web port mapping of ${names(ports, (file) => path.dirname(file))}'s compose file`,
      verb: ports.length > 1 ? 'were' : 'was',
      participle: 'put back',
    });
  return result;
}

/** "its 3 servers were stopped and the hosts entries of demo removed": a verb said once stands for the same verb after it. */
function joined(parts: readonly Clause[]): string {
  const said = parts.map((c, i) => (i > 0 && c.verb === parts[0].verb ? `${c.subject} ${c.participle}` : `${c.subject} ${c.verb} ${c.participle}`));
  return said.length === 1 ? said[0] : `${said.slice(0, -1).join(', ')} and ${said[said.length - 1]}`;
}

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

export function recoveryReport({ undone, failures }: Pick<Recovery, 'undone' | 'failures'>): RecoveryReport | null {
  if (undone.length === 0 && failures.length === 0) return null;
  const parts = clauses(undone);
  const told = failures.map((f) => endSentence(capitalised(f))).join(' ');
  let message: string;
  if (parts.length === 0) {
    // Nothing undone: a daemon that exited normally may have left these too (a hosts block it could not clean).
    message = `What the previous daemon left could not all be undone: ${told}`;
  } else {
    message = `The daemon had stopped unexpectedly; ${joined(parts)}.`;
    if (failures.length > 0) message += ` ${failures.length === 1 ? 'One change' : `${failures.length} changes`} could not be undone: ${told}`;
  }
  return { message, undone: [...undone], failures: [...failures] };
}
