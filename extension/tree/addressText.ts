/**
 * A site's address as its row's description shows it, readable at the default
 * side bar width (issue 23; about 20 characters fit beside a site's name there):
 * every site of a project shares `<project>.localhost:<port>`, so a long
 * `.localhost` name shows its own first label and the port (`gamma.…:8000`),
 * and any other long name its start, its end and the port. The whole address is
 * in the tooltip and the site's first child row. Pure, so it is unit-tested.
 */

/** Longer hosts are shortened: what a 300-pixel side bar shows beside a site's name, with its `· #id`. */
export const MAX_HOST_CHARS = 20;

export function shortHost(host: string): string {
  if (host.length <= MAX_HOST_CHARS) return host;
  const port = /:\d+$/.exec(host)?.[0] ?? '';
  const name = host.slice(0, host.length - port.length);
  const labels = name.split('.');
  // `<site>.<project>.localhost`: the site's own label says which; the project is the row above.
  if (labels.length >= 3 && labels[labels.length - 1] === 'localhost') return `${labels[0]}…${port}`;
  // Any other long name (a real domain in hosts mode): its start and its end, with the port.
  const keep = Math.max(4, MAX_HOST_CHARS - port.length - 1);
  const head = Math.ceil(keep / 2);
  return `${name.slice(0, head)}…${name.slice(name.length - (keep - head))}${port}`;
}
