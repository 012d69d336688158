/** A project's recent log lines (issue 23): bounded in lines and characters, oldest out first; one local clock. */
import * as assert from 'node:assert/strict';
import { LogRing } from '../../../../daemon/session/logRing';
import { localStamp, localTime } from '../../../../protocol/logClock';
import type { LogLine } from '../../../../protocol/protocol';
import { earlierText, lineKey } from '../../../../extension/logs/logLevel';

const line = (text: string, time?: number): LogLine => ({ root: '/p', stream: 'stderr', text, time });

describe('recent log lines', () => {
  it('keeps the last lines, oldest first, within the line bound', () => {
    const ring = new LogRing(3, 1000);
    for (let i = 1; i <= 5; i++) ring.push(line(`line ${i}`));
    assert.deepEqual(
      ring.lines().map((l) => l.text),
      ['line 3', 'line 4', 'line 5'],
    );
  });

  it('drops the oldest lines when the characters exceed their bound, and cuts one line longer than it', () => {
    const ring = new LogRing(100, 10);
    ring.push(line('aaaa'));
    ring.push(line('bbbb'));
    ring.push(line('cccc'));
    assert.deepEqual(
      ring.lines().map((l) => l.text),
      ['bbbb', 'cccc'],
    );
    ring.push(line('x'.repeat(25)));
    assert.deepEqual(
      ring.lines().map((l) => l.text),
      ['x'.repeat(10)],
    );
  });

  it('hands out a copy', () => {
    const ring = new LogRing();
    ring.push(line('one'));
    ring.lines().pop();
    assert.equal(ring.lines().length, 1);
  });
});

describe('one clock in log lines', () => {
  const at = new Date(2026, 11, 6, 9, 5, 7, 42).getTime(); // local time

  it('stamps local time as VS Code’s log channels do', () => {
    assert.equal(localTime(at), '09:05:07.042');
    assert.equal(localStamp(at), '2026-12-06 09:05:07.042');
  });

  it('shows a line said earlier with its own time, and tells lines apart by time, source and text', () => {
    assert.equal(earlierText({ ...line('GET / 200', at), source: 'Beta Shop' }), '(09:05:07.042) [Beta Shop] GET / 200');
    assert.equal(earlierText(line('no time')), '(earlier) no time');
    assert.notEqual(lineKey(line('same', at)), lineKey(line('same', at + 1)));
    assert.equal(lineKey(line('same', at)), lineKey(line('same', at)));
  });
});
