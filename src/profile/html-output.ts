import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { readRunDir } from '../io/read-run-dir.js';
import { inputError } from '../util/errors.js';
import { renderHtmlReport } from '../report/html-report.js';
import { writeFileAtomic } from './atomic-write.js';

/**
 * uPlot's dist files, read from node_modules when a report is rendered: it is a dependency of
 * memprof, inlined into each page, never fetched from a CDN (the page must open offline).
 */
function uplotAssets(): { uplotJs: string; uplotCss: string } {
  const require = createRequire(import.meta.url);
  const js = require.resolve('uplot/dist/uPlot.iife.min.js');
  return { uplotJs: readFileSync(js, 'utf8'), uplotCss: readFileSync(path.join(path.dirname(js), 'uPlot.min.css'), 'utf8') };
}

/**
 * Renders DIR's report.json, samples.jsonl and gc.jsonl as one self-contained HTML file and
 * writes it atomically (default DIR/report.html). Returns the path written.
 */
export function writeHtmlReport(dir: string, out?: string): string {
  const run = readRunDir(dir);
  const file = out ?? path.join(dir, 'report.html');
  const html = renderHtmlReport({ ...run, assets: uplotAssets(), source: dir });
  try {
    writeFileAtomic(file, html);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such directory' : e.code === 'EISDIR' ? 'is a directory' : e.code === 'EACCES' ? 'permission denied' : e.message;
    throw inputError(`cannot write '${file}': ${why}`);
  }
  return file;
}
