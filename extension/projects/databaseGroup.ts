/**
 * Which projects of the window share one database: the daemon tells each
 * project the others on its database as it sees them (its own multisite.json,
 * or the same database settings), which need not be symmetric (only one of
 * two projects may declare the other). A group is every project connected
 * to another that way, in either direction.
 */
export interface Sharing {
  root: string;
  sharedWith: readonly { root: string }[];
}

/** `root` and every project connected to it through `sharedWith`, in `projects`' order. */
export function databaseGroup(root: string, projects: readonly Sharing[]): string[] {
  const linked = new Map<string, Set<string>>();
  const link = (a: string, b: string): void => {
    if (!linked.has(a)) linked.set(a, new Set());
    linked.get(a)?.add(b);
  };
  for (const project of projects)
    for (const other of project.sharedWith) {
      link(project.root, other.root);
      link(other.root, project.root);
    }
  const group = new Set([root]);
  const queue = [root];
  for (let next = queue.shift(); next !== undefined; next = queue.shift())
    for (const other of linked.get(next) ?? [])
      if (!group.has(other)) {
        group.add(other);
        queue.push(other);
      }
  return projects.map((p) => p.root).filter((r) => group.has(r));
}
