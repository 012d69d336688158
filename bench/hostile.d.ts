/** The part of `hostile` 1.4 (no types of its own) that the hosts benchmark uses; see its index.js. */
declare module 'hostile' {
  interface Hostile {
    /** The file every call reads and writes: a plain property, pointed at a temp file by the bench. */
    HOSTS: string;
    /** Without a callback: synchronous, reads and rewrites the whole file. */
    set(ip: string, host: string): boolean;
    get(preserveFormatting: boolean): (string | [string, string])[];
  }
  const hostile: Hostile;
  export = hostile;
}
