import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Http1Pool } from '../../src/load/http1.js';

const servers: Server[] = [];
const pools: Http1Pool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) p.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A raw TCP server that answers each request (one per `data` event) with the next canned reply. */
async function rawServer(replies: string[], opts: { dribble?: boolean } = {}): Promise<{ port: number; requests: string[] }> {
  const requests: string[] = [];
  let next = 0;
  const server = createServer((socket: Socket) => {
    socket.setNoDelay(true);
    socket.on('data', async (chunk) => {
      requests.push(chunk.toString('latin1'));
      const reply = Buffer.from(replies[next++ % replies.length], 'utf8');
      if (!opts.dribble) return void socket.write(reply);
      // One byte per write, each after a turn of the event loop: the client sees many segments.
      for (const byte of reply) {
        socket.write(Buffer.of(byte));
        await new Promise((r) => setImmediate(r));
      }
    });
    socket.on('error', () => undefined);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, requests };
}

function pool(port: number, maxSockets = 1, timeoutMs = 5000): Http1Pool {
  const p = new Http1Pool({ host: '127.0.0.1', port, tls: false, maxSockets, localAddresses: [], timeoutMs, maxReplyBytes: 1 << 24 });
  pools.push(p);
  return p;
}

const chunked =
  'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nMcp-Session-Id: s-1\r\nTransfer-Encoding: chunked\r\n\r\n' +
  '7\r\nevent: \r\n' +
  '10\r\nmessage\ndata: {"\r\n' +
  '3\r\nx":\r\n' +
  '6\r\n"é"}\n\r\n' + // é is two bytes
  '0\r\nX-Trailer: 1\r\n\r\n';
const sized = 'HTTP/1.1 202 Accepted\r\ncontent-length: 4\r\nconnection: keep-alive\r\n\r\nok\r\n';
const empty = 'HTTP/1.1 204 No Content\r\n\r\n';

describe('the load generator HTTP/1.1 client', () => {
  for (const dribble of [false, true]) {
    it(`parses chunked, sized and empty bodies${dribble ? ', one byte per segment' : ''}, reusing one socket`, async () => {
      const srv = await rawServer([chunked, sized, empty], { dribble });
      const p = pool(srv.port);
      const a = await p.request('POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n', '{}');
      expect(a).toEqual({ status: 200, contentType: 'text/event-stream', sessionId: 's-1', body: 'event: message\ndata: {"x":"é"}\n' });
      const b = await p.request('DELETE /mcp HTTP/1.1\r\nHost: x\r\n\r\n', undefined);
      expect(b).toMatchObject({ status: 202, body: 'ok\r\n' });
      const c = await p.request('DELETE /mcp HTTP/1.1\r\nHost: x\r\n\r\n', undefined);
      expect(c).toMatchObject({ status: 204, body: '' });
      expect(srv.requests).toEqual([
        'POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}',
        'DELETE /mcp HTTP/1.1\r\nHost: x\r\n\r\n',
        'DELETE /mcp HTTP/1.1\r\nHost: x\r\n\r\n',
      ]);
      });
  }

  it('queues requests beyond maxSockets and answers them all', async () => {
    const srv = await rawServer([sized]);
    const p = pool(srv.port, 3);
    const replies = await Promise.all(Array.from({ length: 20 }, () => p.request('GET / HTTP/1.1\r\nHost: x\r\n\r\n', undefined)));
    expect(replies.every((r) => r.status === 202 && r.body === 'ok\r\n')).toBe(true);
    expect(srv.requests).toHaveLength(20);
  });

  it('spreads its sockets over the given source addresses', async () => {
    const srv = await rawServer([sized]);
    const seen = new Set<string>();
    servers[0].on('connection', (s) => seen.add(s.remoteAddress!.replace(/^::ffff:/, '')));
    const p = new Http1Pool({ host: '127.0.0.1', port: srv.port, tls: false, maxSockets: 4, localAddresses: ['127.0.0.2', '127.0.0.3'], timeoutMs: 5000, maxReplyBytes: 1 << 24 });
    pools.push(p);
    await Promise.all(Array.from({ length: 4 }, () => p.request('GET / HTTP/1.1\r\nHost: x\r\n\r\n', undefined)));
    expect([...seen].sort()).toEqual(['127.0.0.2', '127.0.0.3']);
  });

  it('reads a body without length to the end of the connection', async () => {
    const srv = await rawServer(['HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{"a":1}']);
    servers[0].on('connection', (s) => s.on('data', () => setImmediate(() => s.end())));
    const p = pool(srv.port);
    expect(await p.request('GET / HTTP/1.1\r\nHost: x\r\n\r\n', undefined)).toMatchObject({ status: 200, body: '{"a":1}' });
  });

  it('times out a request the server never answers', async () => {
    const server = createServer((s) => s.resume());
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const p = pool((server.address() as AddressInfo).port, 1, 200);
    await expect(p.request('GET / HTTP/1.1\r\nHost: x\r\n\r\n', undefined)).rejects.toMatchObject({ kind: 'timeout' });
  });
});
