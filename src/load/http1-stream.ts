import net from 'node:net';
import tls from 'node:tls';
import { parseHead } from './http1-head.js';
import { LoadRequestError } from './jsonrpc.js';
import { classifyNetworkError, resetError } from './net-errors.js';

/** Where to connect, for the sockets of http1.ts. */
export interface SocketOptions {
  host: string;
  port: number;
  tls: boolean;
  timeoutMs: number;
}

export interface StreamHead {
  status: number;
  contentType: string;
  socket: net.Socket;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
/** Reply headers larger than this are not an MCP server's. */
const MAX_HEAD_BYTES = 64 * 1024;

export function openSocket(o: SocketOptions, localAddress: string | undefined): net.Socket {
  const raw = net.connect({ host: o.host, port: o.port, localAddress, noDelay: true });
  return o.tls ? tls.connect({ socket: raw, servername: net.isIP(o.host) ? undefined : o.host }) : raw;
}

/**
 * A socket of its own for a session's long-lived GET SSE stream: resolves once the reply head
 * arrived; the events that follow are not read into memory (the load generator needs only the
 * open stream). `onEnd` is called when the stream ends after that.
 */
export function openStream(o: SocketOptions, localAddress: string | undefined, head: string, onEnd: () => void): Promise<StreamHead> {
  const socket = openSocket(o, localAddress);
  return new Promise((resolve, reject) => {
    let buf: Buffer | null = null;
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      socket.destroy();
      reject(new LoadRequestError('timeout', `GET stream got no reply within ${o.timeoutMs} ms`));
    }, o.timeoutMs);
    const onData = (chunk: Buffer) => {
      if (settled) return; // stream events are not needed, only the open stream
      buf = buf ? Buffer.concat([buf, chunk]) : chunk;
      const end = buf.indexOf(CRLFCRLF);
      if (end < 0 && buf.length > MAX_HEAD_BYTES) {
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        reject(new LoadRequestError('malformed_reply', 'GET stream reply headers larger than 64 KiB'));
      }
      if (end < 0) return;
      settled = true;
      clearTimeout(timer);
      try {
        const h = parseHead(buf.toString('latin1', 0, end));
        buf = null;
        resolve({ status: h.status, contentType: h.contentType, socket });
      } catch (err) {
        socket.destroy();
        reject(err as LoadRequestError);
      }
    };
    socket.on('data', onData);
    socket.on('error', (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(classifyNetworkError(err, o));
    });
    socket.on('close', () => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(classifyNetworkError(resetError(), o));
      } else onEnd();
    });
    socket.write(head);
  });
}
