/**
 * Which rows of the Sites view are redrawn after a change (extension/tree/stableRows.ts). A redrawn
 * row loses a click landing while VS Code redraws it, and so do all rows under it, so: nothing
 * when nothing drawn changed, only the rows that look different, a parent only when its children
 * changed, the roots only when they did. On random trees and random changes, a model of VS Code
 * (what it asks for, what it draws, what it keeps) shows exactly what the data holds afterwards.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { StableRows } from '../../../../extension/tree/stableRows';

/** A row of the data: its id and what it draws. */
interface Row {
  id: string;
  label: string;
}

/** The data: each parent's children (ROOT: the roots). */
type Data = Map<string, Row[]>;
const ROOT = '';

function rowsOver(data: () => Data): StableRows<Row> {
  return new StableRows<Row>({
    idOf: (row) => row.id,
    lookOf: (row) => row.label,
    childrenOf: (parent) => (data().get(parent ? parent.id : ROOT) ?? []).map((row) => ({ ...row })),
  });
}

/**
 * What VS Code does with a tree data provider: asks for the roots, draws each row, asks for the
 * children of the expanded rows; on a change, draws the named rows again and asks again for the
 * children of those that are expanded (the extension host forgets everything under a redrawn row).
 */
class ModelOfVsCode {
  /** What is drawn: each row's look, and each shown parent's children in order. */
  readonly looks = new Map<string, string>();
  readonly children = new Map<string, string[]>();
  /** The node objects the view holds, by id: a change must name these, not copies. */
  readonly held = new Map<string, Row>();
  redrawn = 0;

  constructor(
    private readonly rows: StableRows<Row>,
    private readonly expanded: Set<string>,
  ) {}

  showAll(): void {
    this.looks.clear();
    this.children.clear();
    this.held.clear();
    this.showChildren(undefined);
  }

  private draw(row: Row): void {
    this.held.set(row.id, row);
    this.looks.set(row.id, row.label);
    this.rows.drawn(row, row.label);
    this.redrawn++;
  }

  private showChildren(parent: Row | undefined): void {
    const key = parent ? parent.id : ROOT;
    for (const id of this.children.get(key) ?? []) this.forget(id);
    const given = this.rows.children(parent);
    this.children.set(
      key,
      given.map((row) => row.id),
    );
    for (const row of given) {
      this.draw(row);
      if (this.expanded.has(row.id)) this.showChildren(row);
    }
  }

  private forget(id: string): void {
    this.forgetChildren(id);
    this.looks.delete(id);
    this.held.delete(id);
  }

  private forgetChildren(id: string): void {
    for (const child of this.children.get(id) ?? []) this.forget(child);
    this.children.delete(id);
  }

  apply(changes: Row[] | undefined): void {
    if (changes === undefined) return this.showAll();
    for (const row of changes) {
      assert.equal(this.held.get(row.id), row, `a change names the object the view holds for ${row.id}`);
      this.draw(row);
      if (this.expanded.has(row.id)) this.showChildren(row);
      else this.forgetChildren(row.id);
    }
  }
}

/** What VS Code would show of `data` with `expanded` rows open, drawn from scratch. */
function truth(data: Data, expanded: Set<string>): { looks: Map<string, string>; children: Map<string, string[]> } {
  const looks = new Map<string, string>();
  const children = new Map<string, string[]>();
  const show = (key: string): void => {
    const rows = data.get(key) ?? [];
    children.set(
      key,
      rows.map((r) => r.id),
    );
    for (const row of rows) {
      looks.set(row.id, row.label);
      if (expanded.has(row.id)) show(row.id);
    }
  };
  show(ROOT);
  return { looks, children };
}

/** A tree of up to 3 levels over the ids a..f, each id at most once. */
const IDS = ['a', 'b', 'c', 'd', 'e', 'f'];
const label = fc.constantFrom('x', 'y', 'z');
const tree = fc.array(fc.tuple(fc.constantFrom(...IDS), fc.constantFrom(ROOT, ...IDS), label), { maxLength: 8 }).map((entries) => {
  const data: Data = new Map();
  const placed = new Set<string>();
  const depth = new Map<string, number>([[ROOT, 0]]);
  for (const [id, parent, l] of entries) {
    if (placed.has(id) || !depth.has(parent) || depth.get(parent)! >= 3) continue;
    placed.add(id);
    depth.set(id, depth.get(parent)! + 1);
    data.set(parent, [...(data.get(parent) ?? []), { id, label: l }]);
  }
  return data;
});

describe('the Sites view redraws only the rows that look different', () => {
  it('shows what the data holds after any change, redrawing nothing for a change nobody sees', () => {
    fc.assert(
      fc.property(tree, fc.array(tree, { minLength: 1, maxLength: 4 }), fc.subarray(IDS), (first, later, open) => {
        let data = first;
        const rows = rowsOver(() => data);
        const expanded = new Set(open);
        const vscode = new ModelOfVsCode(rows, expanded);
        vscode.showAll();
        for (const next of later) {
          const before = truth(data, expanded);
          data = next;
          vscode.redrawn = 0;
          const changes = rows.changes();
          vscode.apply(changes);
          const after = truth(data, expanded);
          assert.deepEqual(vscode.looks, after.looks);
          assert.deepEqual(vscode.children, after.children);
          if (JSON.stringify([...before.looks, ...before.children]) === JSON.stringify([...after.looks, ...after.children])) {
            assert.deepEqual(changes, [], 'nothing drawn changed: nothing is redrawn');
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('redraws one site whose icon changed, not its project or the other sites', () => {
    let data: Data = new Map([
      [ROOT, [{ id: 'project', label: 'demo' }]],
      [
        'project',
        [
          { id: 'alpha', label: 'Alpha' },
          { id: 'beta', label: 'Beta' },
        ],
      ],
    ]);
    const rows = rowsOver(() => data);
    const vscode = new ModelOfVsCode(rows, new Set(['project']));
    vscode.showAll();
    const beta = vscode.held.get('beta');
    data = new Map(data).set('project', [
      { id: 'alpha', label: 'Alpha' },
      { id: 'beta', label: 'Beta (serving)' },
    ]);
    const changes = rows.changes();
    assert.deepEqual(changes, [beta], 'the row VS Code holds, and only it');
    assert.equal(beta?.label, 'Beta (serving)', 'brought up to date in place');
    assert.deepEqual(rows.changes(), [], 'a second look finds nothing new');
  });

  it('redraws a project whose sites changed, and everything when the projects did', () => {
    let data: Data = new Map([
      [ROOT, [{ id: 'project', label: 'demo' }]],
      ['project', [{ id: 'alpha', label: 'Alpha' }]],
    ]);
    const rows = rowsOver(() => data);
    const vscode = new ModelOfVsCode(rows, new Set(['project']));
    vscode.showAll();
    data = new Map(data).set('project', [
      { id: 'alpha', label: 'Alpha' },
      { id: 'beta', label: 'Beta' },
    ]);
    assert.deepEqual(
      rows.changes()?.map((r) => r.id),
      ['project'],
    );
    data = new Map(data).set(ROOT, [
      { id: 'project', label: 'demo' },
      { id: 'other', label: 'other' },
    ]);
    assert.equal(rows.changes(), undefined);
  });
});
