import { LoadRequestError } from './jsonrpc.js';

export function resetError(): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error('socket hang up');
  e.code = 'ECONNRESET';
  return e;
}

const NETWORK_MESSAGES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection closed by the server before a reply',
  EPIPE: 'connection closed by the server',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EADDRNOTAVAIL: 'no free local port (ephemeral ports exhausted for this source address)',
  EADDRINUSE: 'no free local port (ephemeral ports exhausted for this source address)',
  EMFILE: 'too many open files (ulimit -n)',
  ENFILE: 'too many open files in the system',
};

/** A socket failure as an errorsByKind key (the errno code in lower case) with a message a user can act on. */
export function classifyNetworkError(err: unknown, _where?: unknown): LoadRequestError {
  if (err instanceof LoadRequestError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  const what = NETWORK_MESSAGES[code];
  if (what) return new LoadRequestError(code.toLowerCase(), what);
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) return new LoadRequestError('tls', `TLS: ${e.message}`);
  return new LoadRequestError(code ? code.toLowerCase() : 'network', e?.message ?? String(err));
}
