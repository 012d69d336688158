/**
 * The config-error and invalid-domain checks, and the doctor running checks at
 * once, errors first, saying which could not run.
 */
import * as assert from 'node:assert/strict';
import { configErrorFindings } from '../../../../daemon/doctor/checks/configError';
import { invalidDomainFindings } from '../../../../daemon/doctor/checks/invalidDomain';
import { runDoctor } from '../../../../daemon/doctor/doctor';
import { CheckNotRun } from '../../../../daemon/doctor/doctorCheck';
import type { DoctorCheck, DoctorContext } from '../../../../daemon/doctor/doctorCheck';
import type { ConfigDiagnostic, DoctorFinding } from '../../../../protocol/protocol';

describe('config-error and invalid-domain', () => {
  const diagnostics: ConfigDiagnostic[] = [
    { severity: 'error', message: 'p/settings.py is not valid Python (invalid syntax).', file: '/p/settings.py', line: 3, code: 'config-error' },
    { severity: 'warning', message: 'Domain "a;b" of site "a" (p/settings.py:2) cannot be used.', file: '/p/settings.py', line: 2, code: 'invalid-domain' },
    { severity: 'warning', message: 'Something else.', file: null, line: null },
  ];

  it('lists the errors that keep the project from being served (issue 14)', () => {
    assert.deepEqual(configErrorFindings({ diagnostics }), [
      { code: 'config-error', severity: 'error', message: 'p/settings.py is not valid Python (invalid syntax).', file: '/p/settings.py', line: 3 },
    ]);
  });

  it('lists the domains that are no domains: an error for hosts mode, which writes no entry until they are fixed', () => {
    const [hosts] = invalidDomainFindings({ diagnostics }, 'hosts');
    assert.deepEqual([hosts.code, hosts.severity, hosts.line], ['invalid-domain', 'error', 2]);
    assert.equal(invalidDomainFindings({ diagnostics }, 'env')[0].severity, 'warning');
  });
});

describe('runDoctor', () => {
  const finding = (severity: DoctorFinding['severity'], message: string): DoctorFinding => ({ code: 'docker', severity, message, file: null, line: null });
  const check = (found: DoctorFinding[], ms = 0): DoctorCheck => ({
    code: 'docker',
    run: () => new Promise((resolve) => setTimeout(() => resolve(found), ms)),
  });

  it('runs the checks at once and sorts errors first, keeping the checks order within a severity', async () => {
    const started = Date.now();
    const { findings } = await runDoctor({} as DoctorContext, [
      check([finding('info', 'i.'), finding('warning', 'w1.')], 150),
      check([finding('error', 'e.')], 150),
      check([finding('warning', 'w2.')], 150),
    ]);
    assert.ok(Date.now() - started < 290, 'concurrently');
    assert.deepEqual(
      findings.map((f) => f.message),
      ['e.', 'w1.', 'w2.', 'i.'],
    );
  });

  it('lists a check that fails, or cannot run, as not run with why, without losing the others', async () => {
    const failing: DoctorCheck = { code: 'port-taken', run: () => Promise.reject(new Error('no /proc here.')) };
    const unknown: DoctorCheck = {
      code: 'django-check',
      run: () => Promise.reject(new CheckNotRun("Django's system checks did not run: Django was not asked")),
    };
    const { findings, notRun } = await runDoctor({} as DoctorContext, [failing, check([finding('error', 'e.')]), unknown]);
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity, f.message]),
      [['docker', 'error', 'e.']],
    );
    assert.deepEqual(notRun, [
      { code: 'port-taken', reason: 'It failed: no /proc here.' },
      { code: 'django-check', reason: "Django's system checks did not run: Django was not asked." },
    ]);
  });
});
