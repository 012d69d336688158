// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The wire libraries: imported through protocol/wire.ts only, so that the build ships them once. */
const WIRE = ['ws', 'vscode-jsonrpc', 'vscode-ws-jsonrpc'].map((name) => ({
  name,
  message: 'Import it from protocol/wire.ts (one copy for every bundle).',
}));

/** A no-restricted-imports rule for `files`: `vscode` (unless allowed), the wire libraries and imports matching `regex`. */
function boundary(files, regex, message, forbidVscode = true) {
  return [
    {
      files: [files],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: [...(forbidVscode ? [{ name: 'vscode', message: 'daemon/ runs without VS Code.' }] : []), ...WIRE],
            patterns: regex ? [{ regex, message }] : [],
          },
        ],
      },
    },
  ];
}

/**
 * The daemon's rooms, lowest first: a room imports only the rooms before it (and protocol/, home/), so
 * that a reader can learn the daemon from the bottom up and no change to a high room reaches a low one.
 */
const DAEMON_LAYERS = ['base', 'journal', 'compose', 'runners', 'sites', 'sharedDb', 'proxy', 'hosts', 'doctor', 'serving', 'session', 'server'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'examples/**', '.vscode-test/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    // No user string ever reaches a shell (issue 14): a program runs from its path and an argument
    // list (execFile, spawn). The one shell is @vscode/sudo-prompt's, given only a fixed command on
    // plain paths (daemon/hosts/elevatedCopy.ts).
    files: ['daemon/**/*.ts', 'extension/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        { selector: "Property[key.name='shell']", message: 'No shell: run the program itself (execFile, spawn) with an argument list.' },
        {
          selector: 'ImportDeclaration[source.value=/^(node:)?child_process$/] > ImportSpecifier[imported.name=/^exec(Sync)?$/]',
          message: 'exec() runs a command line through a shell: use execFile() or spawn() with an argument list.',
        },
        {
          selector: 'ImportDeclaration[source.value=/^(node:)?child_process$/] > ImportNamespaceSpecifier',
          message: 'Import execFile or spawn by name, so that exec() (a shell) cannot be reached.',
        },
      ],
    },
  },
  // Boundaries: the folder is the architecture. Clients (extension/, cli/) reach the daemon through
  // protocol/ (the wire contract), client/ (the connection) and home/ (where the daemon keeps its files);
  // protocol/ and home/ are what both sides share, so they import nothing of the others.
  ...boundary('protocol/**/*.ts', '^\\.\\./', 'protocol/ is the wire contract: it imports nothing outside protocol/.'),
  ...boundary('home/**/*.ts', '^\\.\\./(?!protocol/)', 'home/ imports only protocol/.'),
  ...boundary('client/**/*.ts', '^\\.\\./(?!protocol/|home/|package\\.json$)', 'client/ imports only protocol/ and home/.'),
  ...boundary(
    'cli/**/*.ts',
    '^(\\.\\./)+(daemon|extension)/',
    'The CLI is a client like the extension: it reaches the daemon only through protocol/ and client/.',
  ),
  ...boundary('extension/**/*.ts', '^(\\.\\./)+(daemon|cli)/', 'The extension reaches the daemon only through protocol/ and client/.', false),
  ...boundary('daemon/**/*.ts', '^(\\.\\./)+(client|cli|extension)/', 'The daemon is not a client: it imports protocol/ and home/, never client code.'),
  ...DAEMON_LAYERS.map((room, level) =>
    boundary(
      `daemon/${room}/**/*.ts`,
      `^(\\.\\./)+(${[...DAEMON_LAYERS.slice(level + 1), 'client', 'cli', 'extension'].join('|')})/`,
      `daemon/${room}/ imports only the rooms below it: ${DAEMON_LAYERS.slice(0, level).join(', ') || 'none'} (see DAEMON_LAYERS).`,
    ),
  ).flat(),
  { files: ['protocol/wire.ts'], rules: { 'no-restricted-imports': 'off' } },
  {
    // The protocol's shape (one namespace per message) follows vscode-languageserver-protocol.
    files: ['protocol/protocol*.ts'],
    rules: { '@typescript-eslint/no-namespace': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    // Build and test scripts: plain Node modules, linted without type information.
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'no-restricted-syntax': 'off' },
  },
);
