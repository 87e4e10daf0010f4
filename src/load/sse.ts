/**
 * Server-Sent Events framing (text/event-stream), as MCP Streamable HTTP uses it for replies to
 * POSTs: `event:`/`data:`/`id:` lines, events separated by a blank line, multi-line data joined
 * with '\n'. Only the data payloads matter to the load generator. Lines end in CRLF, LF or a bare
 * CR, as the SSE specification allows (a CRLF is one line end, not two).
 */
export function sseDataPayloads(text: string): string[] {
  const out: string[] = [];
  let data: string[] | null = null;
  let start = 0;
  const n = text.length;
  while (start <= n) {
    const end = lineEnd(text, start);
    const line = text.slice(start, end);
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
    start = end + (text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? 2 : 1);
  }
  if (data) out.push(data.join('\n'));
  return out;
}

const CR = 13;
const LF = 10;

/** The index of the first CR or LF at or after `from`, or the text's length. */
function lineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === CR || c === LF) return i;
  }
  return text.length;
}
