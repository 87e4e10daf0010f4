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
    samples: readJsonl(path.join(dir, 'samples.jsonl'), (o) => typeof o.t === 'number' && typeof o.heapUsed === 'number') as MemorySample[],
    gcEvents: readJsonl(path.join(dir, 'gc.jsonl'), (o) => typeof o.t === 'number' && typeof o.durationMs === 'number') as GcEvent[],
  };
}

function readJsonl(file: string, valid: (o: Record<string, unknown>) => boolean): unknown[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: unknown[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const o: unknown = JSON.parse(line);
      if (o && typeof o === 'object' && valid(o as Record<string, unknown>)) out.push(o);
    } catch {
      // A partial line (the run was killed while writing it): left out, as documented above.
    }
  }
  return out;
}
