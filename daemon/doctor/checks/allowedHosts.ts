/**
 * allowed-hosts: ALLOWED_HOSTS does not admit the names the mode checked
 * serves, so Django answers them 400 Bad Request. Hosts mode serves each
 * site's local domains; SITE_ID mode the bare 127.0.0.1 address (one
 * runserver restarted per switch) or the local proxy's names (proxyNotes
 * decides those, with Django's own validate_host rules): in host routing the
 * proxy sends each site's own domain as Host, which must be admitted too.
 *
 * ALLOWED_HOSTS as Django applies it: where Django was asked, its value (and
 * DEBUG) are Django's, set or not (absent is Django's default `[]`, which with
 * DEBUG admits only the localhost names), at the line the settings assign it,
 * else at the settings module's file, where it is to be added. Without
 * Django's answer, only a literal (or the environment's value) is known: a
 * value that cannot be read statically leaves this check not run.
 */
import * as path from 'node:path';
import { localNames } from '../../hosts/hostsMode';
import type { ConfigDiagnostic, DoctorFinding, RoutingMode, ServingStrategy } from '../../../protocol/protocol';
import { allowedHostsNote, proxyNotesFor } from '../../proxy/proxyNotes';
import type { ServingFacts } from '../../sites/servingFacts';
import type { SiteConfig } from '../../sites/siteConfig';
import { CheckNotRun } from '../doctorCheck';
import type { DoctorCheck } from '../doctorCheck';

function asFinding(note: ConfigDiagnostic, severity = note.severity): DoctorFinding {
  // Line 0 stands for "no line" where ALLOWED_HOSTS is not assigned (see effectiveFacts).
  return { code: 'allowed-hosts', severity, message: note.message, file: note.file, line: note.line || null };
}

/**
 * The serving facts with ALLOWED_HOSTS and DEBUG as Django applies them, where Django answered;
 * the place stays the settings' own (the assignment, else the settings module's file).
 */
export function effectiveFacts(config: SiteConfig): ServingFacts {
  const facts = config.servingFacts;
  const django = config.django;
  if (!django) return facts;
  const { allowedHosts, debug } = django.settings;
  const root = config.project.root;
  const at = facts.allowedHosts ?? (facts.allowedHostsComputed ? { ...facts.allowedHostsComputed, label: '' } : null);
  const settingsFile = facts.settingsFile ?? null;
  const place = at
    ? { file: at.file, line: at.line, label: `${path.relative(root, at.file)}:${at.line}` }
    : settingsFile
      ? { file: settingsFile, line: 0, label: `not set in ${path.relative(root, settingsFile)}, so Django's default []` }
      : null;
  if (!place) return facts;
  return { ...facts, allowedHosts: { value: allowedHosts, ...place }, allowedHostsComputed: null, debug };
}

export function allowedHostsFindings(config: SiteConfig, mode: RoutingMode, strategy: ServingStrategy, djangoMajor: number | null): DoctorFinding[] {
  const facts = effectiveFacts(config);
  // Django refuses every request the project is served by: the project does not work at all.
  if (mode === 'hosts') {
    const note = allowedHostsNote(facts, localNames(config), "the sites' domains in hosts mode", djangoMajor);
    return note ? [asFinding(note, 'error')] : [];
  }
  if (strategy === 'restart') {
    const note = allowedHostsNote(facts, ['127.0.0.1'], 'the address runserver serves', djangoMajor);
    return note ? [asFinding(note, 'error')] : [];
  }
  // Through the proxy: the notes the Sites view shows; in host routing the sites' own domains
  // refused means every site answers 400, an error as in hosts mode.
  return proxyNotesFor({ ...config, servingFacts: facts }, strategy, djangoMajor)
    .filter((note) => note.code === 'allowed-hosts')
    .map((note) => asFinding(note, strategy === 'host' && note.message.startsWith('ALLOWED_HOSTS') ? 'error' : note.severity));
}

export const allowedHosts: DoctorCheck = {
  code: 'allowed-hosts',
  run: async (context) => {
    const findings = allowedHostsFindings(context.config, context.mode, context.strategy, await context.djangoMajor());
    const known = context.config.django !== null || context.config.servingFacts.allowedHosts !== null;
    if (findings.length === 0 && !known) {
      const computed = context.config.servingFacts.allowedHostsComputed;
      const where = computed ? ` (${path.relative(context.root, computed.file)}:${computed.line})` : '';
      throw new CheckNotRun(
        `ALLOWED_HOSTS is not known without asking Django: the settings do not assign it a literal${where}, and Django was not asked (or could not be)`,
      );
    }
    return findings;
  },
};
