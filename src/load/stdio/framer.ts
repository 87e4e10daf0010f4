import type { Readable, Writable } from 'node:stream';

/**
 * Newline-delimited JSON-RPC over a child's stdin/stdout, as the MCP SDK's stdio transport frames
 * it: one message per line, a trailing \r tolerated. A stdio server's stdout is its protocol, so
 * anything else on it (a banner, a console.log left in) is counted and its first lines kept for the
 * report; the SDK's client skips such lines too. Reads bytes and splits on \n before decoding, so
 * a multi-byte character cut between two chunks decodes whole.
 */

/** A JSON-RPC 2.0 message as it comes off the wire (a request, a notification or a response). */
export interface JsonRpcMessage {
  jsonrpc: '2.0';
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export type Line = { kind: 'messages'; messages: JsonRpcMessage[] } | { kind: 'blank' } | { kind: 'other'; text: string };

/** What one line of a stdio server's stdout is. Pure. A batch (a JSON array of messages) counts as messages. */
export function classifyLine(raw: string): Line {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (line.trim() === '') return { kind: 'blank' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { kind: 'other', text: line };
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  if (items.length === 0 || !items.every(isJsonRpc)) return { kind: 'other', text: line };
  return { kind: 'messages', messages: items as JsonRpcMessage[] };
}

function isJsonRpc(m: unknown): boolean {
  return !!m && typeof m === 'object' && !Array.isArray(m) && (m as { jsonrpc?: unknown }).jsonrpc === '2.0';
}

export interface NonProtocolLines {
  /** Non-blank stdout lines that were not JSON-RPC. */
  count: number;
  /** The first of them, each cut to MAX_SHOWN_CHARS. */
  first: string[];
}

/** Why the channel closed: the stream ended, or it is not a JSON-RPC stream at all. */
export interface ChannelClosed {
  kind: 'stdout-closed' | 'garbage' | 'too-long';
  message: string;
}

export interface FramerOptions {
  /** How many non-protocol lines are kept to show (default 5). */
  keepLines?: number;
  /**
   * Once the server has sent a JSON-RPC message, this many non-protocol lines in a row with no
   * message between them close the channel as garbage (default 20): a log line now and then, or a
   * banner before the first message, is counted; a server answering with something else ends the run.
   */
  garbageRun?: number;
  /** A line longer than this closes the channel (default 64 MiB; the SDK's own reader stops at 10 MiB). */
  maxLineBytes?: number;
}

const MAX_SHOWN_CHARS = 200;

/**
 * The child's end of the protocol. `onMessage` gets every JSON-RPC message in order; `closed`
 * resolves once, with why, when no more messages will come.
 */
export class StdioFramer {
  readonly nonProtocol: NonProtocolLines = { count: 0, first: [] };
  readonly closed: Promise<ChannelClosed>;
  private closeWith!: (why: ChannelClosed) => void;
  private isClosed = false;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private otherInARow = 0;
  private seenMessage = false;
  private writeError: Error | null = null;
  private readonly keep: number;
  private readonly garbageRun: number;
  private readonly maxLineBytes: number;

  constructor(
    private readonly stdout: Readable,
    private readonly stdin: Writable,
    private readonly onMessage: (m: JsonRpcMessage) => void,
    opts: FramerOptions = {},
  ) {
    this.keep = opts.keepLines ?? 5;
    this.garbageRun = opts.garbageRun ?? 20;
    this.maxLineBytes = opts.maxLineBytes ?? 64 * 1024 * 1024;
    this.closed = new Promise((resolve) => (this.closeWith = resolve));
    stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    stdout.once('end', () => this.close({ kind: 'stdout-closed', message: 'closed its stdout' }));
    stdout.once('close', () => this.close({ kind: 'stdout-closed', message: 'closed its stdout' }));
    stdout.once('error', (err) => this.close({ kind: 'stdout-closed', message: `its stdout failed (${err.message})` }));
    // Writing to a child that has gone raises EPIPE on stdin: the exit is reported by other means.
    stdin.on('error', (err) => (this.writeError ??= err));
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  /** Sends one message (already serialised, without the newline). False when the channel cannot carry it. */
  send(json: string): boolean {
    if (this.isClosed || this.writeError || this.stdin.destroyed || this.stdin.writableEnded) return false;
    this.stdin.write(json + '\n');
    return true;
  }

  private onData(chunk: Buffer): void {
    if (this.isClosed) return;
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
      const part = chunk.subarray(start, nl);
      const line = this.pending.length ? Buffer.concat([...this.pending, part]) : part;
      this.pending = [];
      this.pendingBytes = 0;
      this.onLine(line.toString('utf8'));
      if (this.isClosed) return;
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.maxLineBytes) {
        this.close({ kind: 'too-long', message: `wrote more than ${Math.round(this.maxLineBytes / 1048576)} MiB on stdout without a newline: not newline-delimited JSON-RPC` });
      }
    }
  }

  private onLine(raw: string): void {
    const line = classifyLine(raw);
    if (line.kind === 'blank') return;
    if (line.kind === 'other') {
      this.nonProtocol.count++;
      const text = line.text;
      if (this.nonProtocol.first.length < this.keep) this.nonProtocol.first.push(shown(text));
      if (this.seenMessage && ++this.otherInARow >= this.garbageRun) {
        this.close({
          kind: 'garbage',
          message: `answered with ${this.otherInARow} lines in a row on stdout that are not JSON-RPC (e.g. ${JSON.stringify(shown(text).slice(0, 80))}): not an MCP stdio stream any more`,
        });
      }
      return;
    }
    this.otherInARow = 0;
    this.seenMessage = true;
    for (const m of line.messages) this.onMessage(m);
  }

  private close(why: ChannelClosed): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.pending = [];
    this.closeWith(why);
  }
}

function shown(text: string): string {
  return text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS)}…` : text;
}
