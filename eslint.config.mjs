// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The wire libraries: imported through daemon/protocol/wire.ts only, so that the build ships them once. */
const WIRE = ['ws', 'vscode-jsonrpc', 'vscode-ws-jsonrpc'].map((name) => ({
  name,
  message: 'Import it from daemon/protocol/wire.ts (one copy for every bundle).',
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
  // Boundaries: the folder is the architecture.
  ...boundary('daemon/**/*.ts', null, ''),
  ...boundary('extension/**/*.ts', '^\\.\\./daemon/(?!protocol/)', 'The extension reaches the daemon only through daemon/protocol/.', false),
  ...boundary('daemon/protocol/**/*.ts', '^\\.\\./(?!\\.\\./package\\.json$)', 'daemon/protocol/ is what clients import: it imports nothing else of daemon/.'),
  ...boundary(
    'daemon/cli/**/*.ts',
    '^\\.\\./(?!protocol/|\\.\\./package\\.json$)',
    'The CLI is a client like the extension: it imports only daemon/protocol/.',
  ),
  { files: ['daemon/protocol/wire.ts'], rules: { 'no-restricted-imports': 'off' } },
  {
    // The protocol's shape (one namespace per message) follows vscode-languageserver-protocol.
    files: ['daemon/protocol/protocol.ts'],
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
