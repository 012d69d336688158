/** The sentence a person reads once after a daemon stopped unexpectedly: what its successor's recovery undid. */
import * as assert from 'node:assert/strict';
import { recoveryReport } from '../../../../daemon/journal/recoveryReport';
import type { RecoveredChange } from '../../../../protocol/protocol';

const change = (kind: RecoveredChange['kind'], path: string): RecoveredChange => ({ kind, path });

describe('recoveryReport', () => {
  it('is null when nothing was left behind', () => {
    assert.equal(recoveryReport({ undone: [], failures: [] }), null);
  });

  it('counts the servers and names the projects whose hosts entries were removed, in one sentence', () => {
    const report = recoveryReport({
      undone: [change('server', '/w/demo'), change('server', '/w/demo'), change('server', '/w/shop'), change('hostsEntries', '/w/demo')],
      failures: [],
    });
    assert.equal(report?.message, 'The daemon had stopped unexpectedly; its 3 servers were stopped and the hosts entries of demo removed.');
    assert.equal(report?.undone.length, 4);
  });

  it('says a verb again only where it changes, and lists every kind of change', () => {
    const report = recoveryReport({
      undone: [
        change('server', '/w/demo'),
        change('run', '/w/demo'),
        change('composeService', '/w/shop'),
        change('hostsEntries', '/w/demo'),
        change('hostsEntries', '/w/shop'),
        change('hostsWrite', '/etc/hosts'),
        change('composePort', '/w/shop/docker-compose.yml'),
      ],
      failures: [],
    });
    assert.equal(
      report?.message,
      "The daemon had stopped unexpectedly; its server and run of the project's code were stopped, the compose web service of shop was stopped, " +
        "the hosts entries of demo and shop removed, its part-done write of /etc/hosts was finished and the web port mapping of shop's compose file was put back.",
    );
  });

  it('one server alone', () => {
    assert.equal(
      recoveryReport({ undone: [change('server', '/w/demo')], failures: [] })?.message,
      'The daemon had stopped unexpectedly; its server was stopped.',
    );
  });

  it('tells what could not be undone after what was, each failure a sentence', () => {
    const report = recoveryReport({
      undone: [change('server', '/w/demo')],
      failures: ['the compose web service in /w/shop did not stop', '/etc/hosts: a marker of ours is damaged.'],
    });
    assert.equal(
      report?.message,
      'The daemon had stopped unexpectedly; its server was stopped. 2 changes could not be undone: The compose web service in /w/shop did not stop. /etc/hosts: a marker of ours is damaged.',
    );
    assert.deepEqual(
      recoveryReport({ undone: [], failures: ['the compose web service in /w/shop did not stop'] })?.message,
      'What the previous daemon left could not all be undone: The compose web service in /w/shop did not stop.',
    );
  });

  it('shows a folder name with a line break in it on one line', () => {
    const message = recoveryReport({ undone: [change('hostsEntries', '/w/de\nmo')], failures: [] })?.message ?? '';
    assert.ok(!message.includes('\n'), message);
  });
});
