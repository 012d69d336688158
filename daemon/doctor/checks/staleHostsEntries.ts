/**
 * stale-hosts-entries: blocks of ours in the hosts file for projects that are
 * not open in this daemon (left by a crash, another daemon, a project since
 * moved): their names still point at this machine. `cleanup` removes them.
 */
import type { HostsSurvey } from '../../hosts/hostsEntries';
import type { DoctorFinding } from '../../../protocol/protocol';
import { listed } from '../../base/sentence';
import type { DoctorCheck } from '../doctorCheck';
import { readableSurvey } from './hostsFile';

export function staleBlockFindings(survey: HostsSurvey, openRoots: ReadonlySet<string>): DoctorFinding[] {
  return survey.blocks
    .filter((block) => !openRoots.has(block.root))
    .map((block) => ({
      code: 'stale-hosts-entries' as const,
      severity: 'warning' as const,
      message: `${survey.file}:${block.line} still points ${listed(block.names)} at this machine for ${block.root}, which is not open here: clean up the hosts entries once that project is done.`,
      file: survey.file,
      line: block.line,
      fix: { kind: 'cleanUpHosts' as const, title: 'Clean Up Hosts Entries' },
    }));
}

export const staleHostsEntries: DoctorCheck = {
  code: 'stale-hosts-entries',
  run: async (context) => {
    const survey = await readableSurvey(context);
    return survey ? staleBlockFindings(survey, context.openRoots) : [];
  },
};
