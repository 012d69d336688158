// Bundles the three entry points (extension, daemon, CLI) and the VS Code test
// runner into dist/. Everything the product needs at run time is in the bundle,
// so the .vsix carries no node_modules.
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
  // ws tries these optional native speed-ups; without them it uses plain JS.
  external: ['vscode', 'bufferutil', 'utf-8-validate'],
};

await Promise.all([
  build({ ...common, entryPoints: { extension: 'extension/extension.ts' }, outdir: 'dist' }),
  build({ ...common, entryPoints: { daemon: 'daemon/daemonMain.ts' }, outdir: 'dist' }),
  build({ ...common, entryPoints: { cli: 'daemon/cli/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } }),
  build({
    ...common,
    entryPoints: { 'test/extensionTests': 'test/vscode/index.ts', 'test/runVscodeTests': 'test/vscode/runVscodeTests.ts' },
    outdir: 'dist',
    external: [...common.external, 'mocha', '@vscode/test-electron'],
  }),
]);
