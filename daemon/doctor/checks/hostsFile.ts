/**
 * hosts-file: the hosts file hosts mode edits cannot be used: it does not
 * exist (it is never created: see HostsEntries.apply), it is not a regular
 * file (a symbolic link, a folder, a device). An error in hosts mode, where every
 * apply would fail with the same sentence; said before a switch to hosts mode
 * (the CLI and the extension run the doctor for that mode first).
 */
import { CREATE_OR_CHOOSE } from '../../hosts/hostsEntries';
import type { HostsSurvey } from '../../hosts/hostsEntries';
import type { DoctorFinding } from '../../../protocol/protocol';
import { endSentence } from '../../base/sentence';
import type { DoctorCheck, DoctorContext } from '../doctorCheck';

/** The survey, or null when the hosts file cannot be read: this check reports that once, the others say nothing. */
export async function readableSurvey(context: DoctorContext): Promise<HostsSurvey | null> {
  return context.hostsSurvey().catch(() => null);
}

export function hostsFileFindings(problem: { missing: string } | { unusable: string }): DoctorFinding[] {
  const message =
    'missing' in problem
      ? `The hosts file ${problem.missing} does not exist, so hosts mode cannot point this project's domains at this machine: ${CREATE_OR_CHOOSE}.`
      : endSentence(problem.unusable);
  return [{ code: 'hosts-file', severity: 'error', message, file: null, line: null }];
}

export const hostsFile: DoctorCheck = {
  code: 'hosts-file',
  run: async (context) => {
    if (context.mode !== 'hosts') return [];
    try {
      const survey = await context.hostsSurvey();
      return survey.exists ? [] : hostsFileFindings({ missing: survey.file });
    } catch (error) {
      return hostsFileFindings({ unusable: error instanceof Error ? error.message : String(error) });
    }
  },
};
