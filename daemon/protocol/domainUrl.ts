/** The address of `domain` on this machine's server at `port`: no port in it when that is 80, as browsers write it. */
export function domainUrl(domain: string, port: string | number | null): string {
  const shown = port === null || String(port) === '' || String(port) === '80' ? '' : `:${port}`;
  return `http://${domain}${shown}/`;
}
