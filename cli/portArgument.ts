/**
 * A TCP port typed by a person (`--port`). Only plain decimal digits count:
 * Number() alone also accepted "0x50", "1e3", " 80", "80.0" and "", each of
 * which serves on a port the person did not write.
 */

/** The port number, or null when `text` is not a decimal integer from 1 to 65535. */
export function parsePortArgument(text: string): number | null {
  if (!/^[0-9]{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}
