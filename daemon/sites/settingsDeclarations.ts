/**
 * Where real projects name their settings module, read from the text of each
 * kind of file without running anything: manage.py's
 * `os.environ.setdefault("DJANGO_SETTINGS_MODULE", …)`, a dotenv line,
 * pytest-django's `DJANGO_SETTINGS_MODULE` or `--ds` in pyproject.toml,
 * pytest.ini, setup.cfg or tox.ini, and django-stubs' `django_settings_module`.
 * Pure functions of the text (settingsLocation.ts reads the files), each
 * answering the module and its 1-based line, or null.
 */
import { isModuleName } from '../../protocol/settingsModuleName';

export interface Declared {
  module: string;
  line: number;
}

/** The 1-based line of `offset` in `text`. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Lines that are Python comments cannot name a module: blanked, so offsets and lines stay as they were. */
function withoutComments(text: string): string {
  return text.replace(/^[ \t]*#.*$/gm, (comment) => ' '.repeat(comment.length));
}

/**
 * manage.py's default (`os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x")`, Django's template) or
 * forced value (`os.environ["DJANGO_SETTINGS_MODULE"] = "x"`). A module computed at run time (an
 * f-string, a variable) names none here: asking Django still finds it.
 */
export function manageSettingsModule(text: string): Declared | null {
  const code = withoutComments(text);
  const patterns = [
    /setdefault\(\s*['"]DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([^'"\n]+)['"]\s*\)/,
    /environ\[\s*['"]DJANGO_SETTINGS_MODULE['"]\s*\]\s*=\s*['"]([^'"\n]+)['"]/,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(code);
    if (match && isModuleName(match[1])) return { module: match[1], line: lineOf(code, match.index) };
  }
  return null;
}

/** `DJANGO_SETTINGS_MODULE=x` in a dotenv file (quotes, `export` and a trailing comment allowed); the last one wins, as dotenv loaders do. */
export function dotenvSettingsModule(text: string): Declared | null {
  let found: Declared | null = null;
  text.split(/\r?\n/).forEach((raw, index) => {
    const match = /^\s*(?:export\s+)?DJANGO_SETTINGS_MODULE\s*=\s*(['"]?)([^'"#\s]*)\1\s*(?:#.*)?$/.exec(raw);
    if (match && isModuleName(match[2])) found = { module: match[2], line: index + 1 };
  });
  return found;
}

/** The `--ds` option of pytest-django in an addopts value (`--ds=x`, `--ds x`). */
function dsOption(text: string): string | null {
  // `--ds=x`, `--ds x`, and in a TOML list `"--ds", "x"`.
  const match = /(?:^|[\s'"[,])--ds(?:\s*=\s*|['"]?\s*,\s*['"]|\s+)['"]?([A-Za-z0-9_.]+)/.exec(text);
  return match && isModuleName(match[1]) ? match[1] : null;
}

/** The lines of INI/TOML `text` inside a section whose header matches one of `sections`, with their line numbers. */
function sectionLines(text: string, sections: readonly string[]): { text: string; line: number }[] {
  const lines: { text: string; line: number }[] = [];
  let inside = false;
  text.split(/\r?\n/).forEach((raw, index) => {
    const header = /^\s*\[([^\]]+)\]\s*(?:[#;].*)?$/.exec(raw);
    if (header) {
      inside = sections.includes(header[1].trim().replace(/\s+/g, '').replace(/"/g, ''));
      return;
    }
    if (inside) lines.push({ text: raw, line: index + 1 });
  });
  return lines;
}

/**
 * pytest-django's settings in an INI file: `DJANGO_SETTINGS_MODULE = x` or `--ds=x` in `addopts`,
 * in `[pytest]` (pytest.ini, tox.ini) or `[tool:pytest]` (setup.cfg). The explicit key wins over
 * `--ds`, as pytest-django reads them.
 */
export function iniSettingsModule(text: string, sections: readonly string[]): Declared | null {
  const lines = sectionLines(text, sections);
  for (const { text: raw, line } of lines) {
    const match = /^\s*DJANGO_SETTINGS_MODULE\s*[=:]\s*([^\s#;]+)/.exec(raw);
    if (match && isModuleName(match[1])) return { module: match[1], line };
  }
  // addopts may continue on indented lines.
  let inAddopts = false;
  for (const { text: raw, line } of lines) {
    const start = /^\s*addopts\s*[=:](.*)$/.exec(raw);
    if (start) inAddopts = true;
    else if (!/^\s+\S/.test(raw)) inAddopts = false;
    const module = inAddopts ? dsOption(start ? start[1] : raw) : null;
    if (module) return { module, line };
  }
  return null;
}

/**
 * pyproject.toml: `DJANGO_SETTINGS_MODULE = "x"` or `--ds=x` in `addopts` under
 * `[tool.pytest.ini_options]`, else django-stubs' `django_settings_module = "x"` under
 * `[tool.django-stubs]` (mypy needs the same module to type-check the project).
 */
export function pyprojectSettingsModule(text: string): Declared | null {
  const pytest = sectionLines(text, ['tool.pytest.ini_options']);
  for (const { text: raw, line } of pytest) {
    const match = /^\s*"?DJANGO_SETTINGS_MODULE"?\s*=\s*['"]([^'"]+)['"]/.exec(raw);
    if (match && isModuleName(match[1])) return { module: match[1], line };
  }
  let inAddopts = false;
  for (const { text: raw, line } of pytest) {
    const start = /^\s*addopts\s*=(.*)$/.exec(raw);
    if (start) inAddopts = true;
    else if (/^\s*[A-Za-z_"-]+\s*=/.test(raw)) inAddopts = false;
    const module = inAddopts ? dsOption(start ? start[1] : raw) : null;
    if (module) return { module, line };
  }
  for (const { text: raw, line } of sectionLines(text, ['tool.django-stubs'])) {
    const match = /^\s*django_settings_module\s*=\s*['"]([^'"]+)['"]/.exec(raw);
    if (match && isModuleName(match[1])) return { module: match[1], line };
  }
  return null;
}

/** Where manage.py puts a folder on `sys.path` before Django imports the settings. */
export interface PathEntry {
  /** The folder relative to manage.py's, as `/`-separated segments ("src", "src/apps"). */
  relative: string;
  /** `insert` puts it before the project folder; `append` after everything else. */
  first: boolean;
}

/**
 * The folders manage.py adds to `sys.path` in the shapes real projects write:
 * `sys.path.insert(0, os.path.join(BASE_DIR, "src"))`, `sys.path.append(str(current_path / "apps"))`,
 * `sys.path.insert(0, "src")`. The string literals of the call, joined, are the folder relative
 * to manage.py's (what BASE_DIR, `Path(__file__).parent` and the working directory all are when
 * it runs); a call with no literal (a computed path) adds nothing known.
 */
export function managePathEntries(text: string): PathEntry[] {
  const entries: PathEntry[] = [];
  const code = withoutComments(text);
  const call = /sys\.path\.(insert|append)\(([^()]*(?:\([^()]*(?:\([^()]*\)[^()]*)*\)[^()]*)*)\)/g;
  for (let match = call.exec(code); match; match = call.exec(code)) {
    const literals = [...match[2].matchAll(/['"]([^'"\n]*)['"]/g)].map((m) => m[1]);
    const segments = literals.flatMap((l) => l.split('/')).filter((s) => s !== '' && s !== '.');
    if (segments.length === 0 || segments.some((s) => s === '..' || s.includes('\\'))) continue;
    entries.push({ relative: segments.join('/'), first: match[1] === 'insert' });
  }
  return entries;
}

/**
 * The folders a `.pth` file in site-packages adds to `sys.path` (as `site` reads it: one path per
 * line, relative to site-packages; comments and `import` lines add none).
 */
export function pthFolders(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && !/^import[\s\t]/.test(line));
}

/**
 * The folders a setuptools editable install's finder (`__editable___<name>_finder.py`) serves
 * packages from: its `MAPPING = {'pkg': '/project/src/pkg'}` names each top-level package's folder,
 * so the folder above it is where `pkg` is found.
 */
export function editableFinderFolders(text: string): { name: string; folder: string }[] {
  const mapping = /MAPPING\s*(?::[^=]*)?=\s*\{([^}]*)\}/.exec(text);
  if (!mapping) return [];
  return [...mapping[1].matchAll(/['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*:\s*['"]([^'"]+)['"]/g)].map((m) => ({ name: m[1], folder: m[2] }));
}
