import { LoadRequestError } from './jsonrpc.js';

/** A parsed status line and the headers MCP cares about. */
export interface Head {
  status: number;
  contentType: string;
  sessionId: string | undefined;
  contentLength: number;
  chunked: boolean;
  close: boolean;
}

export function parseHead(text: string): Head {
  const lines = text.split('\r\n');
  const status = Number(lines[0].slice(9, 12));
  if (!lines[0].startsWith('HTTP/1.') || !Number.isInteger(status)) {
    throw new LoadRequestError('not_mcp', `not an HTTP/1.1 reply: ${JSON.stringify(lines[0].slice(0, 40))}`);
  }
  const head: Head = { status, contentType: '', sessionId: undefined, contentLength: -1, chunked: false, close: false };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).toLowerCase();
    switch (name) {
      case 'content-type':
        head.contentType = line.slice(colon + 1).trim();
        break;
      case 'mcp-session-id':
        head.sessionId = line.slice(colon + 1).trim();
        break;
      case 'content-length':
        head.contentLength = Number(line.slice(colon + 1).trim());
        break;
      case 'transfer-encoding':
        head.chunked = /chunked/i.test(line.slice(colon + 1));
        break;
      case 'connection':
        head.close = /close/i.test(line.slice(colon + 1));
        break;
    }
  }
  return head;
}
