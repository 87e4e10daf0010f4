import { performance } from 'node:perf_hooks';
import type { Readable, Writable } from 'node:stream';
import { MemprofError } from '../../util/errors.js';
import { CLIENT_INFO, CLIENT_PROTOCOL_VERSION, LoadRequestError, negotiatedVersion, toolCallTemplate, toolsOf, type ToolInfo } from '../jsonrpc.js';
import { argsFromSchema } from '../schema-args.js';
import { StdioClient } from './client.js';
import type { FramerOptions } from './framer.js';

/** tools/list pages read at most when looking for --tool. */
const MAX_PAGES = 50;

/**
 * The one MCP session a stdio server has: it lives as long as the process. It is opened once
 * (initialize, notifications/initialized) and outlives each load run on it, so a warm-up and the
 * measured run share it, as a desktop client's conversation does; the tool to call is chosen once.
 */
export class StdioSession {
  readonly client: StdioClient;
  /** Set once initialize was answered. */
  opened: { protocolVersion: string; initializeMs: number } | null = null;
  toolName: string | null = null;
  callBody: ((id: number) => string) | null = null;
  /** The summary of the load run in progress, or of the last one (what was measured when a run failed). */
  lastSummary: (() => import('../types.js').LoadSummary) | null = null;

  /** `label` names the server in messages (its command line). */
  constructor(
    stdout: Readable,
    stdin: Writable,
    readonly label: string,
    framerOptions: FramerOptions = {},
  ) {
    this.client = new StdioClient(stdout, stdin, framerOptions);
  }

  /** initialize, then notifications/initialized; throws a LoadRequestError saying what went wrong. */
  async open(timeoutMs: number): Promise<void> {
    if (this.opened) return;
    const t = performance.now();
    const result = await this.client.request(
      'initialize',
      { protocolVersion: CLIENT_PROTOCOL_VERSION, capabilities: {}, clientInfo: CLIENT_INFO },
      timeoutMs,
    );
    const protocolVersion = negotiatedVersion(result);
    const initializeMs = performance.now() - t;
    if (!this.client.notify('notifications/initialized')) throw new LoadRequestError('closed', 'the server no longer reads its stdin');
    this.opened = { protocolVersion, initializeMs };
  }

  /** The tool --msg-rate calls: --tool, else the first of tools/list; arguments from --args, else from its input schema. */
  async chooseTool(tool: string | undefined, args: unknown, timeoutMs: number): Promise<void> {
    if (this.callBody) return;
    if (tool !== undefined && args !== undefined) {
      this.toolName = tool;
      this.callBody = toolCallTemplate(tool, args);
      return;
    }
    const tools: ToolInfo[] = [];
    try {
      // A long list comes in pages: read on until the tool asked for is found.
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const result = await this.client.request('tools/list', cursor === undefined ? undefined : { cursor }, timeoutMs);
        tools.push(...toolsOf(result));
        cursor = (result as { nextCursor?: unknown }).nextCursor as string | undefined;
        if (typeof cursor !== 'string' || tools.some((t) => (tool === undefined ? true : t.name === tool))) break;
      }
    } catch (err) {
      throw new MemprofError(`cannot list the tools of '${this.label}': ${err instanceof Error ? err.message : String(err)}`, 2);
    }
    const chosen = tool === undefined ? tools[0] : tools.find((t) => t.name === tool);
    if (!chosen) {
      const listed = tools.map((t) => t.name).join(', ');
      throw new MemprofError(
        tool === undefined
          ? `'${this.label}' lists no tools, so --msg-rate has nothing to call`
          : `tool '${tool}' not found in '${this.label}'; it lists: ${listed || '(none)'} (use --tool NAME)`,
        2,
      );
    }
    this.toolName = chosen.name;
    this.callBody = toolCallTemplate(chosen.name, args !== undefined ? args : argsFromSchema(chosen.inputSchema));
  }
}
