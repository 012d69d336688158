// Bundles the three entry points (extension, daemon, CLI) and the VS Code test
// runner into dist/. Everything the product needs at run time is in the bundle,
// so the .vsix carries no node_modules.
import * as path from 'node:path';
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  // Smaller to parse and to ship: the daemon's memory and the CLI's start-up time are measured
  // (npm run bench), and the .vsix must stay under 300 KB. No code of ours reads a function's name.
  minify: true,
  // Prefer packages' ES module builds: jsonc-parser's UMD build hides its requires from bundlers.
  mainFields: ['module', 'main'],
  // ws tries these optional native speed-ups (wire.js does not even try: see its build); without them it uses plain JS.
  external: ['vscode', 'bufferutil', 'utf-8-validate'],
};

/**
 * Modules built as bundles of their own beside the others, each import of them a require of that file:
 * the wire libraries (JSON-RPC, WebSocket), a third of each of the three bundles, once for all; and the
 * daemon, which dist/daemon.js loads through V8's code cache (daemon/server/daemonStartup.ts).
 */
const SIBLINGS = new Map([
  [path.resolve('protocol/wire.ts'), './wire.js'],
  [path.resolve('daemon/server/daemonMain.ts'), './daemonMain.js'],
]);
const siblingBundles = {
  name: 'sibling-bundles',
  setup(bundle) {
    bundle.onResolve({ filter: /\/(wire|daemonMain)$/ }, (args) => {
      const sibling = SIBLINGS.get(path.resolve(args.resolveDir, `${args.path}.ts`));
      return sibling ? { path: sibling, external: true } : undefined;
    });
  },
};
const product = { ...common, outdir: 'dist', plugins: [siblingBundles] };

/**
 * Node's built-in modules that libraries load as they load, for what the product never does, made to load
 * when first used instead (which never comes): ws loads https, tls and zlib for wss:// and compression (the
 * product speaks ws:// on loopback, no permessage-deflate), a tenth of the CLI's start-up (npm run bench,
 * figure 6); http-proxy-3 and follow-redirects load http2, https and tls for TLS targets and servers (the proxy
 * speaks plain HTTP to runserver), a tenth of the daemon's (figure 8: the daemon's V8 flags keep Node from
 * using its own compiled code for its built-in modules, so each costs its full compile). Only libraries'
 * requires (in node_modules) are made lazy; they only read the modules' properties when they call them, and
 * `__esModule` says TypeScript's importStar can use the module as it is.
 */
function lazyBuiltins(names) {
  const filter = new RegExp(`^(node:)?(${names.join('|')})$`);
  return {
    name: 'lazy-builtins',
    setup(bundle) {
      bundle.onResolve({ filter }, (args) =>
        args.importer.includes(`${path.sep}node_modules${path.sep}`) ? { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' } : undefined,
      );
      bundle.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
        contents: `let loaded; module.exports = new Proxy({}, { get: (_, name) => (name === '__esModule' ? true : (loaded ??= require('node:${args.path}'))[name]) });`,
        loader: 'js',
      }));
    },
  };
}

/**
 * Libraries http-proxy-3 loads for what the product never does, left out of the daemon's bundle (the .vsix
 * must stay under 300 KB): follow-redirects, used only with its `followRedirects` option, which the proxy
 * never sets (a stand-in that says so if it ever were), and debug, whose log shows only under
 * DEBUG=http-proxy-3 (a stand-in that logs nothing).
 */
const leftOutLibraries = {
  name: 'left-out-libraries',
  setup(bundle) {
    const standIns = {
      'follow-redirects': `module.exports = new Proxy({}, { get: (_, name) => { if (name === '__esModule') return true; throw new Error('follow-redirects is not bundled: the proxy never follows redirects'); } });`,
      debug: 'module.exports = () => () => undefined;',
    };
    bundle.onResolve({ filter: /^(follow-redirects|debug)$/ }, (args) =>
      args.importer.includes(`${path.sep}http-proxy-3${path.sep}`) ? { path: args.path, namespace: 'left-out' } : undefined,
    );
    bundle.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({ contents: standIns[args.path], loader: 'js' }));
  },
};

/**
 * The Python the daemon runs (the String.raw templates of `*Script.ts`) without its comment lines and
 * blank lines: they explain it in the source and only weigh in the bundle (the .vsix must stay under
 * 300 KB). Only whole lines go: a `#` within a line, or in a string, stays.
 */
const pythonWithoutComments = {
  name: 'python-without-comments',
  setup(bundle) {
    bundle.onLoad({ filter: /Script\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const kept = (line) => line.trim() !== '' && !line.trim().startsWith('#');
      return { contents: source.replace(/String\.raw`[^`]*`/g, (python) => python.split('\n').filter(kept).join('\n')), loader: 'ts' };
    });
  },
};

await Promise.all([
  build({
    ...common,
    entryPoints: { wire: 'protocol/wire.ts' },
    outdir: 'dist',
    plugins: [lazyBuiltins(['https', 'tls', 'zlib'])],
    // ws would try to load these optional native modules, each a failed search through node_modules folders.
    define: { 'process.env.WS_NO_BUFFER_UTIL': '"1"', 'process.env.WS_NO_UTF_8_VALIDATE': '"1"' },
  }),
  build({ ...product, entryPoints: { extension: 'extension/extension.ts' } }),
  build({
    ...product,
    entryPoints: { daemon: 'daemon/server/daemonEntry.ts', daemonMain: 'daemon/server/daemonMain.ts' },
    plugins: [...product.plugins, lazyBuiltins(['http2', 'https', 'tls']), leftOutLibraries, pythonWithoutComments],
  }),
  build({ ...product, entryPoints: { cli: 'cli/cli.ts' }, banner: { js: '#!/usr/bin/env node' } }),
  build({
    ...common,
    entryPoints: { 'test/extensionTests': 'test/vscode/index.ts', 'test/runVscodeTests': 'test/vscode/runVscodeTests.ts' },
    outdir: 'dist',
    external: [...common.external, 'mocha', '@vscode/test-electron'],
  }),
]);
