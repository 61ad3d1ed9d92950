/**
 * The HTTP reference: a bare `node:http` server that reads each request
 * body whole, `JSON.parse`s it and answers 200 with a small JSON body, as
 * the ingest route must at least do. What Cordon adds on top (validation,
 * region check, duplicate look-up, the log append) is the gap to it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BareServer {
  url: string;
  close(): Promise<void>;
}

export async function startBareServer(): Promise<BareServer> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const events = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown[];
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ accepted: events.length, duplicates: 0, rejected: 0, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
