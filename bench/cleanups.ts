/**
 * Everything the bench starts (daemons, runservers, temp folders) registers how
 * to undo it here, so that an interrupted bench (Ctrl-C) still stops its own
 * processes, by pid and process group, and removes its temp folders.
 */

const pending = new Set<() => Promise<void>>();

/** Registers `undo`; the returned function runs it once (and forgets it). */
export function onCleanup(undo: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  const once = (): Promise<void> => {
    pending.delete(once);
    done ??= undo();
    return done;
  };
  pending.add(once);
  return once;
}

/** Undoes whatever is still registered, newest first; a failure does not stop the others. */
export async function cleanUpAll(): Promise<void> {
  for (const undo of [...pending].reverse()) await undo().catch((error: unknown) => console.error(`cleanup failed: ${String(error)}`));
}
