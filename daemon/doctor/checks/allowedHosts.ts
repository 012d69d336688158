/**
 * allowed-hosts: ALLOWED_HOSTS does not admit the names the mode checked
 * serves, so Django answers them 400 Bad Request. Hosts mode serves each
 * site's local domains; SITE_ID mode the bare 127.0.0.1 address (one
 * runserver restarted per switch) or the local proxy's names (proxyNotes
 * decides those, with Django's own validate_host rules).
 */
import { localNames } from '../../hosts/hostsMode';
import type { ConfigDiagnostic, DoctorFinding, RoutingMode, ServingStrategy } from '../../protocol/protocol';
import { allowedHostsNote, proxyNotesFor } from '../../proxy/proxyNotes';
import type { SiteConfig } from '../../sites/siteConfig';
import type { DoctorCheck } from '../doctorCheck';

function asFinding(note: ConfigDiagnostic, severity = note.severity): DoctorFinding {
  return { code: 'allowed-hosts', severity, message: note.message, file: note.file, line: note.line };
}

export function allowedHostsFindings(config: SiteConfig, mode: RoutingMode, strategy: ServingStrategy, djangoMajor: number | null): DoctorFinding[] {
  const facts = config.servingFacts;
  // Django refuses every request the project is served by: the project does not work at all.
  if (mode === 'hosts') {
    const note = allowedHostsNote(facts, localNames(config), "the sites' domains in hosts mode", djangoMajor);
    return note ? [asFinding(note, 'error')] : [];
  }
  if (strategy === 'restart') {
    const note = allowedHostsNote(facts, ['127.0.0.1'], 'the address runserver serves', djangoMajor);
    return note ? [asFinding(note, 'error')] : [];
  }
  // Through the proxy: the notes the Sites view shows, at the severity they have there.
  return proxyNotesFor(config, strategy, djangoMajor)
    .filter((note) => note.code === 'allowed-hosts')
    .map((note) => asFinding(note));
}

export const allowedHosts: DoctorCheck = {
  code: 'allowed-hosts',
  run: async (context) => allowedHostsFindings(context.config, context.mode, context.strategy, await context.djangoMajor()),
};
