// Bundles the three entry points (extension, daemon, CLI) and the VS Code test
// runner into dist/. Everything the product needs at run time is in the bundle,
// so the .vsix carries no node_modules.
import * as path from 'node:path';
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

const WIRE = path.resolve('daemon/protocol/wire.ts');

/**
 * The wire libraries (JSON-RPC, WebSocket) were a third of each of the three bundles: every import of
 * daemon/protocol/wire.ts becomes a require of dist/wire.js, built once beside them.
 */
const sharedWire = {
  name: 'shared-wire',
  setup(bundle) {
    bundle.onResolve({ filter: /\/wire$/ }, (args) =>
      path.resolve(args.resolveDir, `${args.path}.ts`) === WIRE ? { path: './wire.js', external: true } : undefined,
    );
  },
};
const product = { ...common, outdir: 'dist', plugins: [sharedWire] };

/**
 * ws loads https, tls and zlib as it loads, for wss:// and compression, which the product never uses (ws:// on
 * loopback, no permessage-deflate): in wire.js each loads when first used instead, which never comes. That is a
 * tenth of the CLI's start-up (npm run bench, figure 6). ws only reads their properties when it calls them.
 */
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(bundle) {
    bundle.onResolve({ filter: /^(https|tls|zlib)$/ }, (args) => ({ path: args.path, namespace: 'lazy-builtin' }));
    bundle.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `let loaded; module.exports = new Proxy({}, { get: (_, name) => (loaded ??= require('node:${args.path}'))[name] });`,
      loader: 'js',
    }));
  },
};

await Promise.all([
  build({
    ...common,
    entryPoints: { wire: WIRE },
    outdir: 'dist',
    plugins: [lazyBuiltins],
    // ws would try to load these optional native modules, each a failed search through node_modules folders.
    define: { 'process.env.WS_NO_BUFFER_UTIL': '"1"', 'process.env.WS_NO_UTF_8_VALIDATE': '"1"' },
  }),
  build({ ...product, entryPoints: { extension: 'extension/extension.ts' } }),
  build({ ...product, entryPoints: { daemon: 'daemon/daemonMain.ts' } }),
  build({ ...product, entryPoints: { cli: 'daemon/cli/cli.ts' }, banner: { js: '#!/usr/bin/env node' } }),
  build({
    ...common,
    entryPoints: { 'test/extensionTests': 'test/vscode/index.ts', 'test/runVscodeTests': 'test/vscode/runVscodeTests.ts' },
    outdir: 'dist',
    external: [...common.external, 'mocha', '@vscode/test-electron'],
  }),
]);
