/**
 * Which rows of a tree view to redraw after its data changed: only those that look different.
 *
 * Why: VS Code's extension host disposes a row's click command when the row is redrawn, and the
 * commands of all its descendants when an ancestor is; until the workbench has the new rows, a
 * click runs the disposed command, which does nothing ("Actual command not found" in the
 * extension host's log). Redrawing the whole tree on every change (a state notification, Django's
 * answer after the files' sites) opened that window for every row, many times in a view's first
 * seconds, and clicks were lost. Here a row keeps one node object for as long as it is shown (so
 * a change can name it to VS Code), a parent is redrawn only when its list of children changed,
 * and any other row only when what it draws changed.
 *
 * Knows nothing of VS Code: `lookOf` says what a row draws, `childrenOf` what the data holds now.
 */
export interface RowModel<N extends object> {
  /** The row's id, stable for as long as the row means the same thing (its TreeItem id). */
  idOf(node: N): string;
  /** Everything the row draws (label, description, icon, tooltip, menus, command), as a string to compare. */
  lookOf(node: N): string;
  /** `parent`'s children in the data as it is now (`undefined`: the roots). */
  childrenOf(parent: N | undefined): N[];
}

const ROOT = '';

export class StableRows<N extends object> {
  /** The node object VS Code was given for each row id, updated in place. */
  private readonly nodes = new Map<string, N>();
  /** What each row drew when VS Code last asked. */
  private readonly looks = new Map<string, string>();
  /** The ids of the children VS Code was given, by parent id (ROOT for the roots): the rows it shows. */
  private readonly shown = new Map<string, string[]>();

  constructor(private readonly model: RowModel<N>) {}

  /** `parent`'s children for VS Code: the node objects it already knows, brought up to date. */
  children(parent: N | undefined): N[] {
    const given = this.model.childrenOf(parent).map((fresh) => this.adopt(fresh));
    this.shown.set(
      parent ? this.model.idOf(parent) : ROOT,
      given.map((node) => this.model.idOf(node)),
    );
    return given;
  }

  /** VS Code is drawing `node` as `look` (what `lookOf` says of it now). */
  drawn(node: N, look: string): void {
    this.looks.set(this.model.idOf(node), look);
  }

  /**
   * After the data changed: `undefined` when the roots changed (redraw everything), else the rows
   * to redraw, none under another (a redrawn row's children are asked for again). Empty when
   * nothing shown looks different.
   */
  changes(): N[] | undefined {
    const redraw: N[] = [];
    const visit = (parent: N | undefined): boolean => {
      const given = this.shown.get(parent ? this.model.idOf(parent) : ROOT);
      if (!given) return true; // never expanded: nothing of it is drawn
      const fresh = this.model.childrenOf(parent);
      if (
        !sameIds(
          given,
          fresh.map((node) => this.model.idOf(node)),
        )
      ) {
        if (!parent) return false;
        this.forgetUnder(parent);
        redraw.push(parent);
        return true;
      }
      for (const update of fresh) {
        const node = this.adopt(update);
        const id = this.model.idOf(node);
        const look = this.model.lookOf(node);
        if (this.looks.has(id) && this.looks.get(id) !== look) {
          this.looks.set(id, look); // VS Code draws it so now: a second look before it does finds nothing new
          this.forgetUnder(node);
          redraw.push(node);
        } else visit(node);
      }
      return true;
    };
    if (!visit(undefined)) {
      this.forgetUnder(undefined);
      return undefined;
    }
    return redraw;
  }

  /** The node VS Code knows for `fresh`'s id, given `fresh`'s data; `fresh` itself for a new row. */
  private adopt(fresh: N): N {
    const id = this.model.idOf(fresh);
    const known = this.nodes.get(id);
    if (!known) {
      this.nodes.set(id, fresh);
      return fresh;
    }
    Object.assign(known, fresh);
    return known;
  }

  /** Forgets what was shown under `parent`: VS Code asks for those rows again. */
  private forgetUnder(parent: N | undefined): void {
    const key = parent ? this.model.idOf(parent) : ROOT;
    for (const id of this.shown.get(key) ?? []) {
      const node = this.nodes.get(id);
      if (node) this.forgetUnder(node);
      this.nodes.delete(id);
      this.looks.delete(id);
    }
    this.shown.delete(key);
  }
}

function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
