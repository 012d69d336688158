/**
 * Why Python source could not be read statically, with the line to point at:
 * a value that is computed rather than written as a literal (the file is fine,
 * that setting needs Python to run), or source that Python itself would
 * refuse (the whole file is unreadable, as it is for Django).
 */

/** A value that is not a plain literal: computed, or needing what only a running Python has. */
export class NotLiteralError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Source Python refuses to compile (SyntaxError, IndentationError, TabError), on the line Python names. */
export class PythonSyntaxError extends NotLiteralError {}
