// TCP helpers for the Redis outage tests: a listener on a free port and a proxy that can be cut.
import { connect, createServer, type Server, type Socket } from 'node:net';

export function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

/**
 * A TCP proxy to Redis that can drop every connection and refuse new ones, then come back; or
 * freeze: keep the connections open and hold back every reply (a Redis that stopped answering).
 */
export async function startProxy(host: string, targetPort: number) {
  const sockets = new Set<Socket>();
  const replies = new Map<Socket, Socket>(); // upstream -> client
  const make = () =>
    createServer((client) => {
      const upstream = connect(targetPort, host);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => {});
        s.on('close', () => sockets.delete(s));
      }
      replies.set(upstream, client);
      upstream.on('close', () => replies.delete(upstream));
      client.pipe(upstream).pipe(client);
    });
  let server = make();
  const port = await listen(server);
  const stop = async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return {
    port,
    cut: stop,
    async resume() {
      server = make();
      await listen(server, port);
    },
    freeze() {
      for (const [upstream, client] of replies) {
        upstream.unpipe(client);
        upstream.pause();
      }
    },
    close: stop,
  };
}
