import { once } from 'node:events';
import { createServer } from 'node:net';

/**
 * A local port nothing listens on (it was free a moment ago): for a server the test starts on
 * it, or, left alone, for connections that are refused.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}
