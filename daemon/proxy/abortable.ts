/** Waiting on work that a newer request may supersede. */
/** `work`, or a rejection as soon as `signal` aborts (the work itself goes on). */
export function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('superseded'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error('superseded'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
