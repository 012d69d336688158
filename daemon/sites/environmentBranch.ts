/**
 * Whether a line of settings sits in a branch chosen by SITE_ID in the
 * environment: real settings write the fallback as a statement of its own,
 *   if os.environ.get("SITE_ID"):
 *       SITE_ID = int(os.environ["SITE_ID"])
 *   else:
 *       SITE_ID = 1
 * (or `try: ... except KeyError: SITE_ID = 1`), and that `SITE_ID = 1` is a
 * default, not a SITE_ID the project forces: a server started with SITE_ID
 * set takes the other branch. Read from the text by indentation, as Python
 * groups statements; its limits, accepted for a check a reader can follow:
 * a block header split over lines is seen by its first line only, and a read
 * through a helper of the project's own is not seen.
 */
import { withoutComment } from './python/pythonComment';

/** A read of SITE_ID from the environment, as settings spell it (servingFacts.ts's reads, and `"SITE_ID" in os.environ`). */
const SITE_ID_READ = [
  /\benviron\s*(?:\.\s*get\s*\(|\[)\s*(['"])SITE_ID\1/,
  /\bgetenv\s*\(\s*(['"])SITE_ID\1/,
  /\benv(?:\s*\.\s*\w+)?\s*\(\s*(['"])SITE_ID\1/,
  /\bconfig\s*\(\s*(['"])SITE_ID\1/,
  /(['"])SITE_ID\1\s+(?:not\s+)?in\s+(?:os\s*\.\s*)?environ\b/,
];

/** Headers that start a compound statement whose branches are chosen at run time. */
const STARTS = /^(?:if|try)\b/;
/** Headers that continue one: another branch of the same statement. */
const CONTINUES = /^(?:elif|else|except|finally)\b/;

interface Line {
  /** Python's indentation column (a tab to the next multiple of 8), or null for a blank or comment-only line. */
  indent: number | null;
  code: string;
}

function measure(raw: string): Line {
  const code = withoutComment(raw);
  if (code.trim() === '') return { indent: null, code: '' };
  let col = 0;
  for (const c of code) {
    if (c === ' ') col++;
    else if (c === '\t') col = (Math.floor(col / 8) + 1) * 8;
    else break;
  }
  return { indent: col, code: code.trim() };
}

/** The compound statement (its first and last line index) whose header at `header` is one branch of. */
function statementAround(lines: readonly Line[], header: number): { first: number; last: number } {
  const indent = lines[header].indent;
  let first = header;
  // Up: earlier branches of the same statement, back to its `if` / `try`.
  for (let i = header; i >= 0; i--) {
    const line = lines[i];
    if (line.indent === null || line.indent > (indent ?? 0)) continue;
    if (line.indent < (indent ?? 0)) break;
    first = i;
    if (STARTS.test(line.code) || !CONTINUES.test(line.code)) break;
  }
  // Down: the later branches and their bodies, up to the next statement at this indentation.
  let last = header;
  for (let i = header + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.indent === null) continue;
    if (line.indent < (indent ?? 0) || (line.indent === indent && !CONTINUES.test(line.code))) break;
    last = i;
  }
  return { first, last };
}

/**
 * The 1-based line of the `if` / `try` that reads SITE_ID from the environment and has `line`
 * (1-based) in one of its branches, at any depth; null when the line runs whatever the environment says.
 */
export function environmentBranch(source: string, line: number): number | null {
  const lines = source.split(/\r?\n/).map(measure);
  let at = line - 1;
  let indent = lines[at]?.indent ?? null;
  while (indent !== null && indent > 0) {
    // The header of the block `at` is in: the nearest line above indented less.
    let header = at - 1;
    while (header >= 0 && (lines[header].indent === null || (lines[header].indent ?? 0) >= indent)) header--;
    if (header < 0) return null;
    const { first, last } = statementAround(lines, header);
    const text = lines.slice(first, last + 1).map((l) => l.code);
    if ((STARTS.test(lines[first].code) || CONTINUES.test(lines[first].code)) && SITE_ID_READ.some((read) => text.some((code) => read.test(code))))
      return first + 1;
    at = header;
    indent = lines[header].indent;
  }
  return null;
}
