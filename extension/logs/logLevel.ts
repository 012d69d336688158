/**
 * How a log line shows in a project's log channel: its text (verbatim, with
 * the daemon's own lines marked and a warm backend's labelled with its site)
 * and its level, inferred from what the line says; a line shown later with its
 * own time. Pure, so it is unit-tested.
 */
import { localTime } from '../../protocol/logClock';
import type { LogLine } from '../../protocol/protocol';

/** Django's runserver writes its request lines to stderr: the level comes from what a line says, not its stream. */
export function levelOf(line: LogLine): 'error' | 'warn' | 'info' {
  if (line.stream === 'daemon') return /\b(failed|could not|cannot|refused)\b/i.test(line.text) ? 'warn' : 'info';
  if (/^Traceback |^Internal Server Error:|^\w+(Error|Exception)\b|^\s*(ERROR|CRITICAL)\b/.test(line.text)) return 'error';
  // Django's request logger: "Not Found: /favicon.ico", "Invalid HTTP_HOST header: ...".
  if (/^(Not Found|Bad Request|Forbidden|Unauthorized|Method Not Allowed):|^Invalid HTTP_HOST header/.test(line.text)) return 'warn';
  // A request line: `"GET / HTTP/1.1" 500 1234`.
  const status = /" (\d{3}) \d+$/.exec(line.text)?.[1];
  if (status?.startsWith('5')) return 'error';
  if (status?.startsWith('4') || /^\s*WARNING\b/.test(line.text)) return 'warn';
  return 'info';
}

/** The text as the channel shows it: the daemon's own lines marked, a warm backend's labelled with its site. */
export function logText(line: LogLine): string {
  const source = line.source ? `[${line.source}] ` : '';
  return line.stream === 'daemon' ? `[multisite] ${source}${line.text}` : `${source}${line.text}`;
}

/** A line shown after it was said (RecentLogs): its own time first, in the channel's local clock. */
export function earlierText(line: LogLine): string {
  return `${line.time === undefined ? '(earlier)' : `(${localTime(line.time)})`} ${logText(line)}`;
}

/** What tells two lines apart: the daemon's time, where they came from and what they say. */
export function lineKey(line: LogLine): string {
  return `${line.time ?? ''}\u0000${line.stream}\u0000${line.source ?? ''}\u0000${line.text}`;
}
