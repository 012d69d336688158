/** The level a server line gets in a project's log channel, for lines Django's runserver really writes. */
import * as assert from 'node:assert/strict';
import { levelOf, logText } from '../../../../extension/logs/logLevel';
import type { LogLine } from '../../../../protocol/protocol';

const line = (text: string, stream: LogLine['stream'] = 'stderr', source: string | null = null): LogLine => ({ root: '/p', stream, text, source });

describe('log levels of server lines', () => {
  it('keeps request lines at info, 4xx at warn and 5xx at error, whatever the stream', () => {
    assert.equal(levelOf(line('[29/Nov/2026 05:54:50] "GET / HTTP/1.1" 200 490')), 'info');
    assert.equal(levelOf(line('[29/Nov/2026 05:54:50] "GET /missing/ HTTP/1.1" 404 179')), 'warn');
    assert.equal(levelOf(line('[29/Nov/2026 05:54:50] "POST /upload/ HTTP/1.1" 500 60411')), 'error');
    assert.equal(levelOf(line('Starting development server at http://127.0.0.1:8000/', 'stdout')), 'info');
  });

  it("raises Django's error reports and tracebacks, and its request warnings", () => {
    assert.equal(levelOf(line('Internal Server Error: /boom/')), 'error');
    assert.equal(levelOf(line('Traceback (most recent call last):')), 'error');
    assert.equal(levelOf(line('ValueError: boom')), 'error');
    assert.equal(levelOf(line('Not Found: /favicon.ico')), 'warn');
    assert.equal(levelOf(line("Invalid HTTP_HOST header: 'beta-shop.example:8000'. You may need to add 'beta-shop.example' to ALLOWED_HOSTS.")), 'warn');
    // A line of the traceback's body is no error of its own.
    assert.equal(levelOf(line('  File "/app/demo/views.py", line 12, in home')), 'info');
  });

  it("marks the daemon's lines, warns on its failures, and keeps server text verbatim", () => {
    assert.equal(levelOf(line('server for Beta Shop failed to start', 'daemon')), 'warn');
    assert.equal(levelOf(line('starting Beta Shop', 'daemon')), 'info');
    assert.equal(logText(line('starting', 'daemon', 'Beta Shop')), '[multisite] [Beta Shop] starting');
    assert.equal(logText(line('  indented  text ', 'stdout')), '  indented  text ');
    assert.equal(logText(line('GET /', 'stderr', 'Gamma Blog')), '[Gamma Blog] GET /');
  });
});
