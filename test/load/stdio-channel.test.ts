import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LoadRequestError } from '../../src/load/jsonrpc.js';
import { StdioClient } from '../../src/load/stdio/client.js';
import { classifyLine, StdioFramer, type JsonRpcMessage } from '../../src/load/stdio/framer.js';

/** A server's two pipes, seen from memprof: `out` is what the server writes, `in` what memprof sends it. */
function pipes(): { out: PassThrough; in: PassThrough; sent: () => unknown[] } {
  const out = new PassThrough();
  const input = new PassThrough();
  let text = '';
  input.on('data', (c: Buffer) => (text += c.toString('utf8')));
  return { out, in: input, sent: () => text.split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('stdio framing (newline-delimited JSON-RPC)', () => {
  it('classifies lines: messages, batches, blank lines and everything else', () => {
    expect(classifyLine('{"jsonrpc":"2.0","id":1,"result":{}}\r')).toEqual({ kind: 'messages', messages: [{ jsonrpc: '2.0', id: 1, result: {} }] });
    expect(classifyLine('[{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","id":2,"result":1}]')).toMatchObject({ kind: 'messages', messages: [{ method: 'a' }, { id: 2 }] });
    expect(classifyLine('   ')).toEqual({ kind: 'blank' });
    expect(classifyLine('Server running on stdio')).toEqual({ kind: 'other', text: 'Server running on stdio' });
    expect(classifyLine('{"id":1,"result":{}}')).toMatchObject({ kind: 'other' });
    expect(classifyLine('[]')).toMatchObject({ kind: 'other' });
    expect(classifyLine('42')).toMatchObject({ kind: 'other' });
  });

  it('reassembles lines cut anywhere, multi-byte characters included, and counts what is not JSON-RPC', async () => {
    const p = pipes();
    const got: JsonRpcMessage[] = [];
    const framer = new StdioFramer(p.out, p.in, (m) => got.push(m), { keepLines: 2 });
    const text = 'booting…\n{"jsonrpc":"2.0","id":1,"result":{"s":"é€😀"}}\r\n\nlog 1\nlog 2\n' + `{"jsonrpc":"2.0","method":"notifications/message","params":{"x":"${'y'.repeat(300)}"}}\n`;
    const bytes = Buffer.from(text, 'utf8');
    for (let i = 0; i < bytes.length; i += 7) p.out.write(bytes.subarray(i, i + 7));
    await tick();
    expect(got.map((m) => m.id ?? m.method)).toEqual([1, 'notifications/message']);
    expect((got[0].result as { s: string }).s).toBe('é€😀');
    expect(framer.nonProtocol).toEqual({ count: 3, first: ['booting…', 'log 1'] });
    expect(framer.isOpen).toBe(true);
    p.out.end();
    expect(await framer.closed).toMatchObject({ kind: 'stdout-closed' });
  });

  it('closes as garbage after a run of lines that are not JSON-RPC, not for scattered ones nor for a banner', async () => {
    const p = pipes();
    const framer = new StdioFramer(p.out, p.in, () => {});
    // A banner before the first message is counted, never taken for garbage.
    p.out.write('*** banner ***\n'.repeat(30));
    for (let i = 0; i < 4; i++) p.out.write(`{"jsonrpc":"2.0","method":"x"}\n${'noise\n'.repeat(19)}`);
    await tick();
    expect(framer.isOpen).toBe(true);
    p.out.write(`{"jsonrpc":"2.0","method":"x"}\n${'<html>\n'.repeat(20)}`);
    const why = await framer.closed;
    expect(why.kind).toBe('garbage');
    expect(why.message).toMatch(/answered with 20 lines in a row on stdout that are not JSON-RPC \(e\.g\. "<html>"\)/);
    expect(framer.nonProtocol).toEqual({ count: 30 + 4 * 19 + 20, first: Array(5).fill('*** banner ***') });
  });

  it('closes when a line grows past the limit without a newline', async () => {
    const p = pipes();
    const framer = new StdioFramer(p.out, p.in, () => {}, { maxLineBytes: 1024 });
    p.out.write('x'.repeat(600));
    p.out.write('x'.repeat(600));
    expect((await framer.closed).kind).toBe('too-long');
  });
});

describe('the stdio JSON-RPC client', () => {
  it('matches responses to requests by id, in any order, and answers what the server asks', async () => {
    const p = pipes();
    const client = new StdioClient(p.out, p.in);
    const a = client.request('tools/list', undefined, 5000);
    const b = client.request('tools/call', { name: 'echo' }, 5000);
    await tick();
    const [ra, rb] = p.sent() as Array<{ id: number; method: string }>;
    expect([ra.method, rb.method]).toEqual(['tools/list', 'tools/call']);
    p.out.write(`{"jsonrpc":"2.0","id":99,"method":"ping"}\n{"jsonrpc":"2.0","id":7,"method":"roots/list"}\n`);
    p.out.write(`{"jsonrpc":"2.0","id":${rb.id},"result":{"content":[]}}\n{"jsonrpc":"2.0","id":${ra.id},"error":{"code":-32601,"message":"nope"}}\n`);
    await expect(b).resolves.toEqual({ content: [] });
    await expect(a).rejects.toMatchObject({ kind: 'jsonrpc_error', message: 'tools/list failed: JSON-RPC error -32601 "nope"' });
    await tick();
    const answers = p.sent().slice(2) as Array<{ id: number; result?: unknown; error?: { code: number } }>;
    expect(answers).toEqual([
      { jsonrpc: '2.0', id: 99, result: {} },
      { jsonrpc: '2.0', id: 7, error: { code: -32601, message: expect.stringContaining('roots/list') } },
    ]);
    expect(client.serverMessages).toBe(2);
    // A response nobody waits for (a late answer) is counted, not an error.
    p.out.write('{"jsonrpc":"2.0","id":12345,"result":{}}\n');
    await tick();
    expect(client.lateReplies).toBe(1);
  });

  it('times requests out, says so for a malformed response, and fails what is pending when stdout closes', async () => {
    const p = pipes();
    const client = new StdioClient(p.out, p.in);
    await expect(client.request('slow', undefined, 30)).rejects.toMatchObject({ kind: 'timeout' });
    const bad = client.request('bad', undefined, 5000);
    await tick();
    const id = (p.sent().at(-1) as { id: number }).id;
    p.out.write(`{"jsonrpc":"2.0","id":${id}}\n`);
    await expect(bad).rejects.toMatchObject({ kind: 'malformed_reply' });
    const pending = client.request('never', undefined, 5000);
    await tick();
    expect(client.inFlight).toBe(1);
    p.out.end();
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoadRequestError);
    expect(err).toMatchObject({ kind: 'closed', message: 'the server closed its stdout' });
    await expect(client.request('after', undefined, 5000)).rejects.toMatchObject({ kind: 'closed' });
  });
});
