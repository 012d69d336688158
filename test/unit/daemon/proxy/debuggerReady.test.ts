/**
 * Debug Site answers as soon as debugpy listens in the debugged backend
 * (issue 24), not once the site answers: a real socket stands for debugpy's
 * port. Before that it answers as the backend's start settles: with its
 * failure, or with the backend once it answered.
 */
import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Backend } from '../../../../daemon/proxy/backend';
import { debuggerCanAttach } from '../../../../daemon/proxy/debuggerReady';

/** What debuggerCanAttach reads of a backend: its spec's debug port and its pid. */
function backendOn(port: number, pid: number | null = process.pid): Backend {
  return { spec: { debug: { port, pythonPath: null } }, pid } as unknown as Backend;
}

const never = new Promise<Backend>(() => undefined);

describe('debuggerCanAttach: when a debugged backend is handed to a debugger', () => {
  it('resolves once debugpy listens, while the site has not answered', async () => {
    const debugpy = createServer();
    await new Promise<void>((resolve) => debugpy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (debugpy.address() as AddressInfo).port;
      const backend = backendOn(port);
      assert.equal(await debuggerCanAttach(() => backend, port, never), backend);
    } finally {
      debugpy.close();
    }
  });

  it('waits while the backend is another (the one replaced) or not spawned yet', async () => {
    const debugpy = createServer();
    await new Promise<void>((resolve) => debugpy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (debugpy.address() as AddressInfo).port;
      const looks: (Backend | undefined)[] = [undefined, backendOn(port + 1), backendOn(port, null)];
      const debugged = backendOn(port);
      let look = 0;
      assert.equal(await debuggerCanAttach(() => (look < looks.length ? looks[look++] : debugged), port, never), debugged);
      assert.equal(look, looks.length, 'each earlier look was passed over');
    } finally {
      debugpy.close();
    }
  });

  it("rejects with the start's failure when debugpy never listened", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const failed = new Promise<Backend>((_, reject) => setTimeout(() => reject(new Error('runserver exited with code 1')), 30));
    await assert.rejects(
      debuggerCanAttach(() => backendOn(port), port, failed),
      /exited with code 1/,
    );
  });
});
