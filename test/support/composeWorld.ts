/**
 * What the compose runner's tests share (composeRunner.test.ts): a Docker Engine of their own,
 * started for the suite, and a sandboxed daemon serving a copy of the compose demo whose web service
 * publishes a free port; containers, networks and the engine go with the suite.
 */
import * as assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { choosePort } from '../../daemon/runners/freePort';
import { requireComponents } from './components';
import type { Debugger } from './dapDebugger';
import { FIXTURES } from './demoProject';
import { DockerEngine } from './dockerEngine';
import { useSandbox } from './useSandbox';

/** The engine, the sandbox and the copy's compose file, for the suite that calls it. */
export function useComposeWorld() {
  let engine: DockerEngine;
  let composeFile: string;
  let original: string;
  /** The port the copy's web service publishes: a free one, never assumed to be 8000. */
  let webPort: number;

  before(async function () {
    requireComponents(this, 'django', 'docker', 'debugpy');
    this.timeout(180_000);
    engine = new DockerEngine();
    await engine.start();
  });

  const sandbox = useSandbox(() => ({
    // The demo, with its database; one web service restarted per switch unless a test asks for the proxy.
    env: { ...engine.env, MULTISITE_LOCAL_WARM_SITES: '0' },
    hookTimeoutMs: 120_000,
    prepare: async (created) => {
      cpSync(path.join(FIXTURES, 'compose-demo'), created.demo, { recursive: true });
      composeFile = path.join(created.demo, 'docker-compose.yml');
      webPort = await choosePort(18_700 + (process.pid % 1000));
      original = readFileSync(composeFile, 'utf8').replace('"127.0.0.1:8000:80"', `"127.0.0.1:${webPort}:80"`);
      writeFileSync(composeFile, original);
    },
    beforeDispose: async (created) => {
      await created.cli(['daemon', 'stop']);
      // Containers and network of this project go with the test.
      engine.removeContainersAndNetworks();
    },
  }));

  // Registered after the sandbox's hook, so it runs once the sandbox is disposed.
  after(async function () {
    this.timeout(120_000);
    await engine?.stop();
    assert.deepEqual(engine?.interfacesLeft() ?? [], [], 'the Docker Engine of the tests left network interfaces on the machine');
  });

  const debuggers: Debugger[] = [];
  afterEach(async () => {
    for (const one of debuggers.splice(0)) await one.stop();
  });

  const running = (): string[] => engine.docker(['ps', '--format', '{{.Names}}']).split('\n').filter(Boolean);

  return {
    engine: () => engine,
    sandbox,
    composeFile: () => composeFile,
    original: () => original,
    webPort: () => webPort,
    debuggers,
    running,
  };
}
