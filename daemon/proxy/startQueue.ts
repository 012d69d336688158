/**
 * The sites waiting for a slot of the warm pool, first come first served
 * (the current site goes first in line: the user asked for it). One ticket
 * per site however many requests wait for it, so a site starts once. Each
 * waiter's wait is bounded, and withdrawn when what it waits for is gone (a
 * browser that closed the request): a site nobody waits for any more leaves
 * the line instead of starting for nothing.
 */
import type { BackendSpec } from './backend';

/** One request waiting for its site's turn. */
export interface Waiter<T> {
  /** Aborts when the request is over: its wait is withdrawn, and what it was handed is given back. */
  readonly until: AbortSignal | undefined;
  /** Its site's turn came: `value` is what the pool hands it. */
  admit(value: T): void;
}

interface Entry<T> extends Waiter<T> {
  refuse(error: Error): void;
}

interface Ticket<T> {
  spec: BackendSpec;
  waiters: Set<Entry<T>>;
}

export interface WaitOptions {
  until?: AbortSignal;
  /** How long it may wait; then it is refused with `expired()`. */
  waitMs: number;
  expired(): Error;
  /** Goes first in line (the current site). */
  first: boolean;
}

export class StartQueue<T> {
  private readonly tickets: Ticket<T>[] = [];

  get length(): number {
    return this.tickets.length;
  }

  /** The sites waiting, in the order they start. */
  specs(): BackendSpec[] {
    return this.tickets.map((t) => t.spec);
  }

  /** Waits for `spec`'s turn: resolves with what the pool hands over when it starts the site. */
  wait(spec: BackendSpec, options: WaitOptions): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let ticket = this.tickets.find((t) => t.spec.key === spec.key);
      if (!ticket) {
        ticket = { spec, waiters: new Set() };
        if (options.first) this.tickets.unshift(ticket);
        else this.tickets.push(ticket);
      } else if (options.first) this.toFront(spec.key);
      const owner = ticket;
      const leave = (): void => {
        clearTimeout(timer);
        options.until?.removeEventListener('abort', withdrawn);
        owner.waiters.delete(entry);
        if (owner.waiters.size === 0) this.drop(owner);
      };
      const entry: Entry<T> = {
        until: options.until,
        admit: (value) => {
          leave();
          resolve(value);
        },
        refuse: (error) => {
          leave();
          reject(error);
        },
      };
      const withdrawn = (): void => entry.refuse(new Error(`the request for ${spec.label} was withdrawn while it waited`));
      const timer = setTimeout(() => entry.refuse(options.expired()), options.waitMs);
      owner.waiters.add(entry);
      if (options.until?.aborted) withdrawn();
      else options.until?.addEventListener('abort', withdrawn, { once: true });
    });
  }

  /** Takes the next site off the line, with the requests waiting for it (the caller admits them). */
  shift(): { spec: BackendSpec; waiters: Waiter<T>[] } | undefined {
    const ticket = this.tickets.shift();
    return ticket && { spec: ticket.spec, waiters: [...ticket.waiters] };
  }

  /** Puts `key`'s site first in line, if it waits. */
  toFront(key: string): void {
    const at = this.tickets.findIndex((t) => t.spec.key === key);
    if (at > 0) this.tickets.unshift(...this.tickets.splice(at, 1));
  }

  /** Refuses every request waiting for `key`'s site, or for any site when `key` is null. */
  refuse(key: string | null, error: Error): void {
    for (const ticket of this.tickets.filter((t) => key === null || t.spec.key === key)) {
      for (const entry of [...ticket.waiters]) entry.refuse(error);
      this.drop(ticket);
    }
  }

  private drop(ticket: Ticket<T>): void {
    const at = this.tickets.indexOf(ticket);
    if (at >= 0) this.tickets.splice(at, 1);
  }
}
