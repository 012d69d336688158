/**
 * A change the daemon made (or, on a dry run, would make) to a user's file:
 * a hosts file or a compose file. `before` and `after` are for people (diffs),
 * decoded as UTF-8; the writers themselves work on the exact bytes.
 */
export interface FileChange {
  file: string;
  before: string;
  after: string;
  changed: boolean;
}
