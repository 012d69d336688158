/**
 * The one clock of log lines (issue 23): local time, as VS Code stamps its log
 * channels (`2026-12-06 23:31:02.123`), in the daemon's log file too, and for
 * lines a window shows after they were said (RecentLogs). Django's own lines
 * keep the time Django wrote in them (its TIME_ZONE): that text is verbatim.
 */

const two = (n: number): string => String(n).padStart(2, '0');

/** `HH:MM:SS.mmm`, local time. */
export function localTime(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** `YYYY-MM-DD HH:MM:SS.mmm`, local time: VS Code's log channels' format. */
export function localStamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${localTime(ms)}`;
}
