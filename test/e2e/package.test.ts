/**
 * The .vsix people install: small (at most 300 KB), holding only the
 * allow-listed files (the minified bundles, the wire libraries once for all
 * three, icons, walkthrough pictures, manifest and docs), every picture
 * the walkthrough names, and the README's sections for people using it.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/demoProject';
import { VSIX } from '../support/workbench';

const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/(package\.json|readme\.md|changelog\.md|LICENSE\.txt)$/,
  /^extension\/dist\/(extension|daemon|daemonMain|cli|wire)\.js$/,
  /^extension\/media\/(icon\.png|sites\.svg)$/,
  /^extension\/media\/walkthrough\/[a-z-]+\.webp$/,
  /^extension\/schemas\/[a-z.-]+\.json$/,
];

describe('the packaged .vsix', function () {
  before(function () {
    assert.ok(existsSync(VSIX), `${VSIX} is missing: run npm run package first`);
  });

  it('is at most 300 KB and holds only the allow-listed files', () => {
    const size = statSync(VSIX).size;
    console.log(`      .vsix: ${(size / 1024).toFixed(1)} KB (limit 300 KB)`);
    assert.ok(size <= 300 * 1024, `the .vsix is ${(size / 1024).toFixed(1)} KB`);
    const entries = execFileSync('unzip', ['-Z1', VSIX], { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(
      entries.filter((entry) => !ALLOWED.some((pattern) => pattern.test(entry))),
      [],
    );
  });

  it('ships minified bundles and every picture the walkthrough shows', () => {
    for (const bundle of ['extension', 'daemon', 'daemonMain', 'cli', 'wire']) {
      const text = execFileSync('unzip', ['-p', VSIX, `extension/dist/${bundle}.js`], { encoding: 'utf8', maxBuffer: 10 << 20 });
      // Minified: the code is in long lines; only template literals (the CLI's help) keep their line breaks.
      const inLongLines = text.split('\n').reduce((sum, line) => sum + (line.length > 500 ? line.length : 0), 0) / text.length;
      assert.ok(inLongLines > 0.8, `${bundle}.js is minified (${Math.round(inLongLines * 100)}% in lines over 500 characters)`);
      // The wire libraries once, in wire.js: ws's handshake GUID (RFC 6455) is in no other bundle.
      assert.equal(text.includes('258EAFA5-E914-47DA-95CA-C5AB0DC85B11'), bundle === 'wire', `${bundle}.js and the WebSocket library`);
    }
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      extensionKind: string[];
      contributes: { walkthroughs: { steps: { media: { image: string } }[] }[] };
    };
    // It runs where the project and its servers are (a remote window's machine), never in the UI's host.
    assert.deepEqual(manifest.extensionKind, ['workspace']);
    const images = manifest.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.image));
    assert.ok(images.length >= 5);
    const entries = execFileSync('unzip', ['-Z1', VSIX], { encoding: 'utf8' });
    for (const image of new Set(images)) assert.ok(entries.includes(`extension/${image}\n`), `${image} is in the .vsix`);
  });

  it("carries the README's sections for people using the extension, not how it works inside or how to work on it", () => {
    const readme = execFileSync('unzip', ['-p', VSIX, 'extension/readme.md'], { encoding: 'utf8' });
    const headings = readme.split('\n').filter((line) => line.startsWith('## '));
    const whole = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    // Up to the first reference section told in a few words (scripts/vsixReadme.mjs).
    const shortened = '\n### Where the project and its settings are\n';
    assert.ok(whole.startsWith(readme.slice(0, readme.indexOf(shortened))), 'the start of README.md, unchanged');
    assert.ok(headings.includes('## Using it in VS Code') && headings.includes('## Using it from a terminal'), headings.join(', '));
    assert.ok(!headings.includes('## How it works') && !headings.includes('## Development'), headings.join(', '));
  });
});
