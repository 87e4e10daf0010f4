import { describe, expect, it } from 'vitest';
import { LatencyRecorder } from '../../src/load/latency.js';
import { DEFAULT_NEGOTIATED_PROTOCOL_VERSION, LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_PROTOCOL_VERSION, httpError, initializeRequest, responseFor, toolCallTemplate } from '../../src/load/jsonrpc.js';
import { parseFdLimit, sourceAddressesFor } from '../../src/load/limits.js';
import { argsFromSchema } from '../../src/load/schema-args.js';
import { sseDataPayloads } from '../../src/load/sse.js';

const reply = (contentType: string, body: string, status = 200) => ({ status, contentType, body, sessionId: undefined });

describe('SSE framing', () => {
  it('joins multi-line data, drops one leading space, ignores other fields and comments', () => {
    const text = ': comment\r\nevent: message\r\nid: 7\r\ndata: {"a":\r\ndata:1}\r\n\r\ndata:  two spaces\n\nretry: 5\n\ndata: last';
    expect(sseDataPayloads(text)).toEqual(['{"a":\n1}', ' two spaces', 'last']);
  });

  it('takes a bare CR as a line end, as the SSE specification does (and CRLF as one, not two)', () => {
    expect(sseDataPayloads('event: message\rdata: {"a":\rdata:1}\r\rdata: two\r\n\r\ndata: 3\r')).toEqual(['{"a":\n1}', 'two', '3']);
    expect(sseDataPayloads('data: a\r\ndata: b\r\n\r\n')).toEqual(['a\nb']);
  });
});

describe('initialize', () => {
  it('asks for the newest protocol version the installed MCP SDK knows (written out in memprof, kept equal here)', () => {
    const params = (JSON.parse(initializeRequest(1)) as { params: { protocolVersion: string } }).params;
    expect(params.protocolVersion).toBe(LATEST_PROTOCOL_VERSION);
    expect(DEFAULT_PROTOCOL_VERSION).toBe(DEFAULT_NEGOTIATED_PROTOCOL_VERSION);
  });
});

describe('JSON-RPC replies', () => {
  it('finds the response by id in JSON, batches and SSE streams', () => {
    const r = { jsonrpc: '2.0', id: 3, result: { ok: true } };
    expect(responseFor(reply('application/json; charset=utf-8', JSON.stringify(r)), 3)).toEqual(r);
    expect(responseFor(reply('application/json', JSON.stringify([{ jsonrpc: '2.0', id: 2, result: 1 }, r])), 3)).toEqual(r);
    const sse = `event: message\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":{}}\n\nevent: message\ndata: ${JSON.stringify(r)}\n\n`;
    expect(responseFor(reply('text/event-stream', sse), 3)).toEqual(r);
  });

  it('classifies what is wrong', () => {
    const kind = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { kind: string }).kind;
      }
      return 'none';
    };
    expect(kind(() => responseFor(reply('text/plain', 'hi'), 1))).toBe('not_mcp');
    expect(kind(() => responseFor(reply('application/json', '{'), 1))).toBe('malformed_reply');
    expect(kind(() => responseFor(reply('application/json', '{"jsonrpc":"2.0","id":2,"result":1}'), 1))).toBe('malformed_reply');
    expect(kind(() => responseFor(reply('application/json', '{"error":{"message":"busy"}}', 503), 1))).toBe('http_503');
    expect(httpError(reply('application/json', '{"jsonrpc":"2.0","error":{"code":-32000,"message":"busy"},"id":null}', 503)).message).toBe(
      'HTTP 503 "busy"',
    );
    expect(httpError(reply('text/html', '<h1>Not\nFound</h1>', 404)).message).toBe('HTTP 404 "<h1>Not Found</h1>"');
  });

  it('splices ids into a serialised tools/call body', () => {
    const body = toolCallTemplate('echo', { text: 'a"b' });
    expect(JSON.parse(body(42))).toEqual({ jsonrpc: '2.0', id: 42, method: 'tools/call', params: { name: 'echo', arguments: { text: 'a"b' } } });
  });

  it('replaces {{n}} inside strings by the number of the call made from the template', () => {
    const body = toolCallTemplate('echo', { text: 'call {{n}}', tags: ['t{{n}}', 'fixed'], nested: { key: '{{n}}-{{n}}' }, count: 3 });
    const calls = [body(10), body(11), body(12)].map((b) => JSON.parse(b) as { id: number; params: { arguments: unknown } });
    expect(calls.map((c) => c.id)).toEqual([10, 11, 12]);
    expect(calls[0].params.arguments).toEqual({ text: 'call 1', tags: ['t1', 'fixed'], nested: { key: '1-1' }, count: 3 });
    expect(calls[2].params.arguments).toEqual({ text: 'call 3', tags: ['t3', 'fixed'], nested: { key: '3-3' }, count: 3 });
  });
});

describe('default tool arguments', () => {
  it('fills required fields only, with the simplest value of each type', () => {
    const schema = {
      type: 'object',
      properties: {
        text: { type: 'string' },
        n: { type: 'integer', minimum: 3 },
        flag: { type: 'boolean' },
        mode: { enum: ['fast', 'slow'] },
        nested: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'string' } }, required: ['x'] },
        list: { type: 'array', items: { type: 'string' }, minItems: 2 },
        maybe: { type: ['null', 'string'] },
        optional: { type: 'string' },
      },
      required: ['text', 'n', 'flag', 'mode', 'nested', 'list', 'maybe'],
    };
    expect(argsFromSchema(schema)).toEqual({ text: 'x', n: 3, flag: true, mode: 'fast', nested: { x: 1 }, list: ['x', 'x'], maybe: 'x' });
    expect(argsFromSchema(undefined)).toEqual({});
  });
});

describe('latency percentiles', () => {
  it('uses nearest rank and says null when nothing was measured', () => {
    const l = new LatencyRecorder();
    expect(l.summary()).toEqual({ p50: null, p90: null, p99: null, max: null });
    for (let i = 100; i >= 1; i--) l.record(i);
    for (let i = 0; i < 2000; i++) l.record(1000); // grows past the initial buffer
    const fresh = new LatencyRecorder();
    for (let i = 1; i <= 100; i++) fresh.record(i);
    expect(fresh.summary()).toEqual({ p50: 50, p90: 90, p99: 99, max: 100 });
    expect(l.count).toBe(2100);
    expect(l.summary().max).toBe(1000);
  });
});

describe('limits', () => {
  it('parses the open-files limit', () => {
    const text = 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 20000                files\n';
    expect(parseFdLimit(text)).toEqual({ soft: 1024, hard: 20000 });
    expect(parseFdLimit('Max open files unlimited unlimited files')).toEqual({ soft: Infinity, hard: Infinity });
    expect(parseFdLimit('nothing')).toBeNull();
  });

  it('spreads loopback sockets over 127.0.0.x only when one address runs out of ports', () => {
    expect(sourceAddressesFor('127.0.0.1', 1000, 28232)).toEqual([]);
    expect(sourceAddressesFor('127.0.0.1', 60_000, 28232)).toEqual(['127.0.0.1', '127.0.0.2', '127.0.0.3']);
    expect(sourceAddressesFor('localhost', 60_000, 28232)).toEqual([]);
    expect(sourceAddressesFor('10.0.0.5', 60_000, 28232)).toEqual([]);
  });
});
