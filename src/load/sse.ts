/**
 * Server-Sent Events framing (text/event-stream), as MCP Streamable HTTP uses it for replies to
 * POSTs: `event:`/`data:`/`id:` lines, events separated by a blank line, multi-line data joined
 * with '\n'. Only the data payloads matter to the load generator.
 */
export function sseDataPayloads(text: string): string[] {
  const out: string[] = [];
  let data: string[] | null = null;
  let start = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') {
      if (data) out.push(data.join('\n'));
      data = null;
    } else if (line.startsWith('data')) {
      // `data:value`, `data: value` (one leading space is dropped) or a bare `data` field.
      const rest = line.slice(4);
      if (rest === '' || rest[0] === ':') {
        const value = rest.startsWith(': ') ? rest.slice(2) : rest.slice(1);
        (data ??= []).push(value);
      }
    }
    start = end + 1;
  }
  if (data) out.push(data.join('\n'));
  return out;
}
