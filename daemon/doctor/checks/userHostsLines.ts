/**
 * user-hosts-lines: lines of the user's own in the hosts file (outside our
 * blocks) for this project's names. They are never touched; whichever line the
 * resolver meets first wins, so in hosts mode they may send a site elsewhere.
 */
import type { HostsSurvey } from '../../hosts/hostsEntries';
import type { DoctorFinding, RoutingMode } from '../../../protocol/protocol';
import { listed } from '../../base/sentence';
import type { DoctorCheck } from '../doctorCheck';
import { readableSurvey } from './hostsFile';

export function userLineFindings(survey: HostsSurvey, mode: RoutingMode): DoctorFinding[] {
  // One finding per line, naming each of our names it maps.
  const byLine = new Map<number, { names: string[]; text: string }>();
  for (const entry of survey.foreign) {
    const line = byLine.get(entry.line) ?? { names: [], text: entry.text };
    line.names.push(entry.name);
    byLine.set(entry.line, line);
  }
  return [...byLine].map(([line, { names, text }]) => ({
    code: 'user-hosts-lines' as const,
    // Only hosts mode resolves these names; in SITE_ID mode the line matters once hosts mode is used.
    severity: mode === 'hosts' ? ('warning' as const) : ('info' as const),
    message: `${survey.file}:${line} maps ${listed(names)} itself (${JSON.stringify(text)}), which may win over or clash with the entries hosts mode writes: remove or comment out that line to reach this project there.`,
    file: survey.file,
    line,
  }));
}

export const userHostsLines: DoctorCheck = {
  code: 'user-hosts-lines',
  run: async (context) => {
    const survey = await readableSurvey(context);
    return survey ? userLineFindings(survey, context.mode) : [];
  },
};
