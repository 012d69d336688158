/**
 * A real ProjectCode for tests that build sessions, sites or databases
 * without a daemon: its process journal is a file in the test's own folder.
 */
import * as path from 'node:path';
import { ProcessJournal } from '../../daemon/journal/processJournal';
import { ProjectCode } from '../../daemon/runners/projectCode';

export function projectCodeIn(dir: string): ProjectCode {
  return new ProjectCode(new ProcessJournal(path.join(dir, 'processes.json')));
}
