/**
 * A change the daemon made (or, on a dry run, would make) to a user's file:
 * a hosts file or a compose file. `before()` and `after()` are for people
 * (diffs), decoded as UTF-8 on first use only: a hosts file can be megabytes,
 * and most changes are never shown as a diff. The writers work on the exact bytes.
 */
export interface FileChange {
  file: string;
  changed: boolean;
  before(): string;
  after(): string;
}

/** A FileChange whose texts are made by `before` and `after` the first time they are asked for. */
export function fileChange(file: string, changed: boolean, before: () => string, after: () => string): FileChange {
  const decoded: { before?: string; after?: string } = {};
  return {
    file,
    changed,
    before: () => (decoded.before ??= before()),
    after: () => (decoded.after ??= after()),
  };
}
