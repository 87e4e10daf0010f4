import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { GcEvent, MemorySample } from '../model/recording.js';
import type { Report } from '../model/report.js';
import { inputError } from '../util/errors.js';

/** What `profile`, `run` and `demo` leave in their --out directory, as the HTML report needs it. */
export interface RunDir {
  report: Report;
  samples: MemorySample[];
  gcEvents: GcEvent[];
}

/**
 * Reads DIR/report.json, DIR/samples.jsonl and DIR/gc.jsonl. A DIR that is not a run directory is
 * one clear error; missing or damaged line files are not (a run killed mid-line leaves a partial
 * last line; an old run may have none): their lines that do not parse are left out.
 */
export function readRunDir(dir: string): RunDir {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw inputError(`cannot read '${dir}': no such directory (give the --out directory of memprof profile, run or demo)`);
  }
  if (!isDir) throw inputError(`'${dir}' is not a directory (give the --out directory of memprof profile, run or demo, which holds report.json)`);
  const file = path.join(dir, 'report.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw inputError(`'${dir}' has no report.json: not a memprof run directory (give the --out directory of memprof profile, run or demo)`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw inputError(`'${file}' is not valid JSON: ${(err as Error).message}`);
  }
  const schema = data && typeof data === 'object' ? (data as { schema?: unknown }).schema : undefined;
  if (schema !== 'memprof/report@1') {
    throw inputError(`'${file}' is not a memprof report (schema ${JSON.stringify(schema ?? null)}, expected "memprof/report@1")`);
  }
  return {
    report: data as Report,
    samples: readJsonl(path.join(dir, 'samples.jsonl'), sampleFields),
    gcEvents: readJsonl(path.join(dir, 'gc.jsonl'), (o) => (typeof o.t === 'number' && typeof o.durationMs === 'number' ? (o as unknown as GcEvent) : null)),
  };
}

/**
 * The fields of a sample a page draws; the heap spaces and code statistics are left behind, so a
 * day's samples at a short interval (hundreds of MB of lines) fit in memory as a few numbers each.
 */
function sampleFields(o: Record<string, unknown>): MemorySample | null {
  if (typeof o.t !== 'number' || typeof o.heapUsed !== 'number') return null;
  const { spaces: _spaces, code: _code, ...rest } = o;
  return rest as unknown as MemorySample;
}

/**
 * One object per line, read from a Buffer line by line: the file may be larger than the longest
 * string V8 makes (512 MiB), so it is never decoded whole.
 */
function readJsonl<T>(file: string, take: (o: Record<string, unknown>) => T | null): T[] {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return [];
  }
  const out: T[] = [];
  for (let start = 0; start < buf.length; ) {
    let end = buf.indexOf(0x0a, start);
    if (end < 0) end = buf.length;
    const line = buf.toString('utf8', start, end);
    start = end + 1;
    if (!line.trim()) continue;
    try {
      const o: unknown = JSON.parse(line);
      const taken = o && typeof o === 'object' ? take(o as Record<string, unknown>) : null;
      if (taken !== null) out.push(taken);
    } catch {
      // A partial line (the run was killed while writing it): left out, as documented above.
    }
  }
  return out;
}
