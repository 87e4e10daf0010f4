import { MemprofError } from '../util/errors.js';
import type { McpHttp } from './http.js';
import { responseFor, resultOf, toolCallTemplate, toolsListRequest, toolsOf } from './jsonrpc.js';
import { fatal } from './load-errors.js';
import { argsFromSchema } from './schema-args.js';
import type { Session } from './session-set.js';
import type { LoadStats } from './stats.js';

export interface ChosenTool {
  name: string;
  /** The tools/call body for a request id. */
  body: (id: number) => string;
}

/**
 * The tool --msg-rate calls: --tool, else the first of tools/list (sent once per run, on the
 * probe's session); its arguments from --args, else made from its input schema.
 */
export async function chooseTool(
  http: McpHttp,
  session: Session,
  id: number,
  options: { url: string; tool?: string; args?: unknown },
  stats: LoadStats,
): Promise<ChosenTool> {
  const { tool, args, url } = options;
  if (tool !== undefined && args !== undefined) return { name: tool, body: toolCallTemplate(tool, args) };
  let tools;
  try {
    const reply = await http.post(toolsListRequest(id), session.id, session.version);
    tools = toolsOf(resultOf(responseFor(reply, id), 'tools/list'));
  } catch (err) {
    stats.countError(err);
    throw fatal(url, 'cannot list the tools to call', err);
  }
  const chosen = tool === undefined ? tools[0] : tools.find((t) => t.name === tool);
  if (!chosen) {
    const listed = tools.map((t) => t.name).join(', ');
    throw new MemprofError(
      tool === undefined
        ? `the MCP server at ${url} lists no tools, so --msg-rate has nothing to call`
        : `tool '${tool}' not found at ${url}; it lists: ${listed || '(none)'} (use --tool NAME)`,
    );
  }
  return { name: chosen.name, body: toolCallTemplate(chosen.name, args !== undefined ? args : argsFromSchema(chosen.inputSchema)) };
}
