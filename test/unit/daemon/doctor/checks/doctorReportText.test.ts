/**
 * The doctor's report as the CLI words it (issue 23): never "No problems found"
 * while a check did not run.
 */
import * as assert from 'node:assert/strict';
import { formatDoctorReport } from '../../../../../cli/doctorText';
import type { DoctorFinding, DoctorReport } from '../../../../../protocol/protocol';

const ROOT = '/work/shop';

describe('the doctor in the CLI', () => {
  const report = (findings: DoctorFinding[], notRun: DoctorReport['notRun']): DoctorReport => ({
    project: { root: ROOT, name: 'shop' },
    mode: 'env',
    findings,
    notRun,
  });

  it('says "No problems found" only when every check ran and found nothing', () => {
    assert.equal(formatDoctorReport(report([], [])), 'No problems found in shop for every site at once.');
    const notRun = [{ code: 'django-check' as const, reason: "Django's system checks did not run: Django was not asked." }];
    const text = formatDoctorReport(report([], notRun));
    assert.doesNotMatch(text, /No problems found/);
    assert.match(
      text,
      /^The checks that ran found nothing in shop for every site at once, but one could not run:\nnot run {2}django-check {2}- {2}Django's system checks did not run/,
    );
    const both = formatDoctorReport(report([{ code: 'docker', severity: 'warning', message: 'W.', file: null, line: null }], notRun));
    assert.match(both, /^warning {2}docker {8}- {2}W\.\nnot run {2}django-check/);
  });
});
