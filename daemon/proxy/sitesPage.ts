/**
 * The pages the proxy answers itself: the list of the project's sites with
 * their addresses (for a Host it does not know, or the bare address while no
 * site is current), the page saying why a site's backend could not
 * answer, the one saying a site waits for a warm slot, and the one saying
 * why a request was refused. Small, escaped, no scripts.
 */

export interface ListedSite {
  label: string;
  url: string;
  /** The site at its own port (null: none). */
  portUrl?: string | null;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:3rem;color:#222;max-width:48rem}code,pre{background:#eee;padding:0 .3em}pre{padding:.6em;white-space:pre-wrap}</style></head>
<body>${body}</body></html>
`;
}

/** The sites of `project` and their addresses; `heading` says why this page is shown. */
export function sitesPage(project: string, heading: string, sites: readonly ListedSite[]): string {
  const link = (url: string): string => `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
  const rows = sites.map((s) => `<li>${link(s.url)}${s.portUrl ? ` &middot; ${link(s.portUrl)}` : ''} &middot; ${escapeHtml(s.label)}</li>`).join('\n');
  return page(`${project}: sites`, `<h1>${escapeHtml(heading)}</h1>\n<p>The sites of <code>${escapeHtml(project)}</code>:</p>\n<ul>\n${rows}\n</ul>`);
}

/** Why a site could not be served, in the words the daemon's log uses. */
export function failurePage(label: string, sentence: string): string {
  return page(
    `${label}: not served`,
    `<h1>${escapeHtml(label)} could not be served</h1>\n<pre>${escapeHtml(sentence)}</pre>\n<p>See the server log for more.</p>`,
  );
}

/** A site that waits for a warm slot (503 with Retry-After): `sentence` says why and what frees one. */
export function queuedPage(label: string, sentence: string): string {
  return page(
    `${label}: queued`,
    `<h1>${escapeHtml(label)} is queued</h1>\n<pre>${escapeHtml(sentence)}</pre>\n<p>Its turn comes when another site's server is free: reload in a few seconds.</p>`,
  );
}

/** Why the proxy refused a request (400), before routing it. */
export function refusalPage(sentence: string): string {
  return page('Request refused', `<h1>This request was refused</h1>\n<pre>${escapeHtml(sentence)}</pre>`);
}

/**
 * The preview's cookie check failed (previewFrame.ts): this browser keeps no cookie in the preview's frame,
 * so a login there would end in a 403. Shown in the frame; the editor offers the external browser beside it.
 */
export function previewBlockedPage(site: ListedSite): string {
  const addresses = [site.url, site.portUrl].filter((url): url is string => !!url).map((url) => `<code>${escapeHtml(url)}</code>`);
  return page(
    `${site.label}: open it in a browser`,
    `<h1>${escapeHtml(site.label)} cannot keep its login in this preview</h1>\n<p>This browser keeps no cookie in the preview's frame (third-party cookies are blocked here, partitioned ones too), so logging in would fail with “CSRF cookie not set”.</p>\n<p>Open it in a browser instead: ${addresses.join(' or ')}. VS Code offers to do that beside this preview.</p>`,
  );
}
