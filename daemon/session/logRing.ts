/**
 * A project's recent log lines, kept by the daemon so that a window opened
 * later shows what the server said before it came (issue 23), not an empty
 * channel. Bounded in lines and in characters: a server printing megabytes
 * costs the daemon at most MAX_CHARS per project; the oldest lines go first.
 */
import type { LogLine } from '../../protocol/protocol';

/** About a screenful or two of a busy runserver, more than a window shows at once. */
export const MAX_LINES = 500;
export const MAX_CHARS = 256 * 1024;

export class LogRing {
  private readonly kept: LogLine[] = [];
  private chars = 0;

  constructor(
    private readonly maxLines = MAX_LINES,
    private readonly maxChars = MAX_CHARS,
  ) {}

  push(line: LogLine): void {
    // A line longer than the whole bound is kept cut, so one huge line never empties the ring of all others.
    const kept = line.text.length > this.maxChars ? { ...line, text: line.text.slice(0, this.maxChars) } : line;
    this.kept.push(kept);
    this.chars += kept.text.length;
    while (this.kept.length > this.maxLines || this.chars > this.maxChars) this.chars -= this.kept.shift()?.text.length ?? 0;
  }

  /** The kept lines, oldest first (a copy). */
  lines(): LogLine[] {
    return [...this.kept];
  }
}
