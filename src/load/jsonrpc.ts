import { sseDataPayloads } from './sse.js';

/**
 * The MCP JSON-RPC messages the load generator sends, and the interpretation of the HTTP replies
 * it gets back. Pure: bytes in, a message or a classified failure out.
 */

/**
 * The protocol version asked for in `initialize`: the newest the MCP SDK memprof is built with
 * knows (its LATEST_PROTOCOL_VERSION); servers answer with the one they speak, and that one is
 * sent back on every request. Written out rather than imported: the SDK's types module loads zod,
 * half a second of start-up for two strings. test/load/protocol.test.ts keeps them equal.
 */
export const CLIENT_PROTOCOL_VERSION = '2025-11-25';
/** What a server that negotiated nothing is assumed to speak (the SDK's DEFAULT_NEGOTIATED_PROTOCOL_VERSION). */
export const DEFAULT_PROTOCOL_VERSION = '2025-03-26';

export const CLIENT_INFO = { name: 'memprof-load', version: '1' };

export function initializeRequest(id: number): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: CLIENT_PROTOCOL_VERSION, capabilities: {}, clientInfo: CLIENT_INFO },
  });
}

export const INITIALIZED_NOTIFICATION = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });

export function toolsListRequest(id: number): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list' });
}

/** In a string of the tool arguments, replaced by the call's number (1, 2, 3, ...) so each call's arguments differ. */
export const CALL_NUMBER_PLACEHOLDER = '{{n}}';

/**
 * tools/call bodies differ only by id (and the call number, where the arguments hold
 * CALL_NUMBER_PLACEHOLDER), so the arguments are serialised once per run and spliced in: it keeps
 * JSON.stringify of user arguments off the per-request path. Each body the template makes is the
 * next call: the number counts the calls made from this template. In JSON text the placeholder can
 * only stand inside a string, and digits need no escaping there.
 */
export function toolCallTemplate(tool: string, args: unknown): (id: number) => string {
  const tail = `,"method":"tools/call","params":${JSON.stringify({ name: tool, arguments: args ?? {} })}}`;
  const parts = tail.split(CALL_NUMBER_PLACEHOLDER);
  if (parts.length === 1) return (id) => `{"jsonrpc":"2.0","id":${id}${tail}`;
  let n = 0;
  return (id) => `{"jsonrpc":"2.0","id":${id}${parts.join(String(++n))}`;
}

/** Why a request did not produce the reply it should have; `kind` is the errorsByKind key. */
export class LoadRequestError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = 'LoadRequestError';
  }
}

export interface HttpReply {
  status: number;
  contentType: string;
  sessionId: string | undefined;
  body: string;
}

interface JsonRpcResponse {
  jsonrpc: '2.0';
  id: number | string | null;
  result?: unknown;
  error?: { code: number; message: string };
}

/**
 * The JSON-RPC response to request `id` from a POST reply (application/json or an SSE stream),
 * or a LoadRequestError saying what was wrong. A JSON-RPC error response is returned as is; the
 * caller decides whether it is an error for its purpose.
 */
export function responseFor(reply: HttpReply, id: number): JsonRpcResponse {
  if (reply.status < 200 || reply.status >= 300) throw httpError(reply);
  const type = reply.contentType.toLowerCase();
  let messages: unknown[];
  if (type.startsWith('application/json')) {
    messages = [parseJson(reply.body)];
  } else if (type.startsWith('text/event-stream')) {
    messages = sseDataPayloads(reply.body).map(parseJson);
  } else {
    throw new LoadRequestError('not_mcp', `reply is ${type || 'untyped'} (HTTP ${reply.status}), not JSON or an SSE stream`);
  }
  for (const m of messages) {
    for (const msg of Array.isArray(m) ? m : [m]) {
      if (isResponse(msg) && msg.id === id) return msg;
    }
  }
  throw new LoadRequestError('malformed_reply', `reply holds no JSON-RPC response with id ${id}`);
}

/** Describes a non-2xx reply, using the JSON-RPC error message when the body carries one. */
export function httpError(reply: HttpReply): LoadRequestError {
  let detail = '';
  try {
    const parsed = JSON.parse(reply.body) as { error?: { message?: unknown } | string; message?: unknown };
    const msg = typeof parsed.error === 'object' ? parsed.error?.message : (parsed.error ?? parsed.message);
    if (typeof msg === 'string') detail = msg;
  } catch {
    detail = reply.body.replace(/\s+/g, ' ').trim().slice(0, 80);
  }
  return new LoadRequestError(`http_${reply.status}`, `HTTP ${reply.status}${detail ? ` "${detail}"` : ''}`);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new LoadRequestError('malformed_reply', `reply is not valid JSON: ${JSON.stringify(text.slice(0, 60))}`);
  }
}

function isResponse(m: unknown): m is JsonRpcResponse {
  if (!m || typeof m !== 'object') return false;
  const r = m as Record<string, unknown>;
  return r.jsonrpc === '2.0' && 'id' in r && ('result' in r || 'error' in r);
}

/** The `result` of a response, or a `jsonrpc_error` naming the method that failed. */
export function resultOf(response: JsonRpcResponse, method: string): unknown {
  if (response.error) {
    throw new LoadRequestError('jsonrpc_error', `${method} failed: JSON-RPC error ${response.error.code} "${response.error.message}"`);
  }
  return response.result;
}

export interface ToolInfo {
  name: string;
  inputSchema?: unknown;
}

export function toolsOf(result: unknown): ToolInfo[] {
  const tools = (result as { tools?: unknown } | null)?.tools;
  if (!Array.isArray(tools)) throw new LoadRequestError('malformed_reply', 'tools/list result has no tools array');
  return tools.filter((t): t is ToolInfo => !!t && typeof (t as ToolInfo).name === 'string');
}

/** The protocol version the server settled on in its initialize result. */
export function negotiatedVersion(result: unknown): string {
  const v = (result as { protocolVersion?: unknown } | null)?.protocolVersion;
  if (typeof v !== 'string') throw new LoadRequestError('malformed_reply', 'initialize result has no protocolVersion');
  return v;
}
