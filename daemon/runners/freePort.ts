import { createServer } from 'node:net';

function tryListen(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : null;
      server.close(() => resolve(bound));
    });
  });
}

/** The preferred port when it is free on 127.0.0.1, otherwise any free one. */
export async function choosePort(preferred: number): Promise<number> {
  const port = (await tryListen(preferred)) ?? (await tryListen(0));
  if (port === null) throw new Error('no free TCP port on 127.0.0.1');
  return port;
}
