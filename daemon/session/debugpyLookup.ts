/**
 * Where a project's interpreter finds debugpy (runners/debugpy.ts, with a client's copy as the
 * fallback), looked for once per interpreter: not in front of every Debug Site. A failed look is not
 * kept, since debugpy may be installed meanwhile.
 */
import { findDebugpy } from '../runners/debugpy';
import type { ProjectCode } from '../runners/projectCode';

export class DebugpyLookup {
  private readonly found = new Map<string, Promise<string | null>>();

  constructor(
    private readonly projectCode: ProjectCode,
    private readonly root: string,
  ) {}

  /** The PYTHONPATH folder `python` finds debugpy in (`bundled`: the client's copy), or null when it finds none. */
  pathFor(python: string, bundled: string | null): Promise<string | null> {
    const key = `${python}\0${bundled ?? ''}`;
    let found = this.found.get(key);
    if (!found) {
      found = findDebugpy(this.projectCode, python, this.root, bundled);
      this.found.set(key, found);
      found.catch(() => this.found.delete(key));
    }
    return found;
  }
}
