import { MemprofError } from '../util/errors.js';
import { LoadRequestError } from './jsonrpc.js';

/** The --mcp URL, or one clear line saying what is wrong with it. */
export function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new MemprofError(`invalid --mcp URL '${text}': expected e.g. http://127.0.0.1:3000/mcp`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new MemprofError(`invalid --mcp URL '${text}': only http:// and https:// Streamable HTTP endpoints are supported`);
  }
  return url;
}

const NOT_MCP = 'is this an MCP Streamable HTTP endpoint (usually .../mcp)?';
const CREDENTIALS = 'the server wants credentials: pass them with --header "Authorization: ..."';
const CAPACITY = 'the server rejected initialize; retry when it has capacity';

const HINTS: Record<string, string> = {
  econnrefused: 'is the server running, and is the port right?',
  enotfound: 'check the host name',
  eai_again: 'check the host name',
  ehostunreach: 'check the host and the network',
  enetunreach: 'check the host and the network',
  timeout: 'the server did not answer in time',
  econnreset: 'the server closed the connection: is it an HTTP server?',
  not_mcp: NOT_MCP,
  malformed_reply: NOT_MCP,
  http_404: NOT_MCP,
  http_405: NOT_MCP,
  http_401: CREDENTIALS,
  http_403: CREDENTIALS,
  http_429: CAPACITY,
  http_503: CAPACITY,
  jsonrpc_error: 'the server refused the request',
  slow_reply: 'the server sends its reply too slowly; raise --request-timeout if that is expected',
  sse_unended: 'the server keeps the SSE reply open after its response; it should close it',
  reply_too_large: 'a reply that large is not a tool result; is the endpoint right?',
  truncated_reply: 'the server closed the connection mid-reply; see its log',
};

/** The one-line error for a run that could do nothing: what failed, where, and what to try. */
export function fatal(url: string, what: string, err: unknown): MemprofError {
  const kind = err instanceof LoadRequestError ? err.kind : '';
  const message = err instanceof Error ? err.message : String(err);
  const hint = HINTS[kind] ?? (kind.startsWith('http_5') ? 'the server failed; see its log' : '');
  return new MemprofError(`${what} at ${url}: ${message}${hint ? ` (${hint})` : ''}`);
}
