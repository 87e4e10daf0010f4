import { inputError } from '../util/errors.js';
import { fetchTargetList, reachableUrl, type JsonListEntry } from './connect.js';
import { CdpSession } from './session.js';
import { assertLoopbackAllowed, parseTargetSpec } from './target.js';

/** A page of a browser (Chromium started with `--remote-debugging-port`) memprof is attached to. */
export interface LivePage {
  session: CdpSession;
  title: string;
  url: string;
  /** Detaches; the page and the browser go on. Safe to call twice. */
  close(): Promise<void>;
}

/** A browser's page as its `/json/list` describes it. */
export interface PageEntry {
  title: string;
  url: string;
  webSocketDebuggerUrl: string;
}

/**
 * True when `--target HOST:PORT` leads to a browser's remote debugging port rather than a Node
 * inspector: its target list has pages and no `node` target. Checks the host first (loopback only
 * unless allowed), as every connection does.
 */
export async function isBrowserTarget(spec: string, opts: { allowRemote?: boolean; timeoutMs?: number } = {}): Promise<boolean> {
  const parsed = parseTargetSpec(spec);
  if (parsed.kind !== 'hostport') return false;
  const [address] = await assertLoopbackAllowed(parsed.host, opts.allowRemote);
  const list = await fetchTargetList(address, parsed.port, opts.timeoutMs ?? 4000);
  return !list.some((e) => e?.type === 'node') && list.some((e) => e?.type === 'page');
}

/**
 * The one page whose URL or title contains `text` (case-insensitive); every page when `text` is
 * undefined. No page, or several: an input error (exit 2) listing the candidates, so the user can
 * make TEXT more precise.
 */
export function pickPage(pages: PageEntry[], text: string | undefined, where: string): PageEntry {
  const wanted = text?.toLowerCase();
  const matches = wanted === undefined ? pages : pages.filter((p) => p.url.toLowerCase().includes(wanted) || p.title.toLowerCase().includes(wanted));
  if (matches.length === 1) return matches[0];
  const list = (ps: PageEntry[]): string => ps.map((p) => `"${p.title}" ${p.url}`).join(', ');
  if (pages.length === 0) throw inputError(`the browser at ${where} has no page open; open one and retry`);
  if (text === undefined) throw inputError(`the browser at ${where} has ${pages.length} pages; pick one with --page TEXT (part of its URL or title): ${list(pages)}`);
  if (matches.length === 0) throw inputError(`no page of the browser at ${where} has '${text}' in its URL or title; its pages: ${list(pages)}`);
  throw inputError(`${matches.length} pages of the browser at ${where} match '${text}'; make --page more precise: ${list(matches)}`);
}

/**
 * Attaches to one page of the browser at `--target HOST:PORT` (or directly to a page's
 * `ws://.../devtools/page/ID`). Only the page's own session is opened: memprof puts nothing in the
 * page and does not touch other pages.
 */
export async function connectPage(spec: string, opts: { page?: string; allowRemote?: boolean; timeoutMs?: number } = {}): Promise<LivePage> {
  const parsed = parseTargetSpec(spec);
  if (parsed.kind === 'pid') throw inputError('--page needs --target HOST:PORT, the browser\'s remote debugging port (chromium --remote-debugging-port=9222)');
  const timeoutMs = opts.timeoutMs ?? 4000;
  const addresses = await assertLoopbackAllowed(parsed.host, opts.allowRemote);
  const address = addresses[0];
  const where = `${parsed.host.includes(':') ? `[${parsed.host}]` : parsed.host}:${parsed.port}`;
  let entry: PageEntry;
  if (parsed.kind === 'ws') {
    entry = { title: '', url: '', webSocketDebuggerUrl: parsed.url };
  } else {
    const list = await fetchTargetList(address, parsed.port, timeoutMs);
    if (list.some((e) => e?.type === 'node')) throw inputError(`${where} is a Node.js inspector, not a browser: --page picks a browser's page; leave it out`);
    entry = pickPage(pagesOf(list), opts.page, where);
  }
  const url = reachableUrl(entry, address, parsed.port);
  const session = await CdpSession.connect(url, { timeoutMs });
  let closing: Promise<void> | null = null;
  return {
    session,
    title: entry.title,
    url: entry.url,
    close() {
      closing ??= session.close(2000);
      return closing;
    },
  };
}

function pagesOf(list: JsonListEntry[]): PageEntry[] {
  return list
    .filter((e) => e?.type === 'page' && typeof e.webSocketDebuggerUrl === 'string')
    .map((e) => ({ title: String(e.title ?? ''), url: String(e.url ?? ''), webSocketDebuggerUrl: e.webSocketDebuggerUrl! }));
}
