/**
 * The answer for a site that exists but has no warm slot for now: every
 * slot the pool may fill (`warmSites`) is taken by a backend that is
 * starting, serving a request or current, and waiting longer would not help.
 * The proxy turns it into a 503 with Retry-After (never a 502: nothing
 * failed), a switch into its sentence.
 */

/** How long a browser is told to wait before it asks again. */
export const RETRY_AFTER_SECONDS = 5;

export class SiteQueued extends Error {
  readonly code = 'queued';
  readonly retryAfterSeconds = RETRY_AFTER_SECONDS;

  /** `label`: the site; `message`: one sentence saying why it waits and what frees a slot. */
  constructor(
    readonly label: string,
    message: string,
  ) {
    super(message);
  }
}
