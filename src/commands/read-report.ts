import { readFileSync } from 'node:fs';
import type { Report } from '../model/report.js';
import { inputError } from '../util/errors.js';

/**
 * Reads a report.json for `check` and `plan`: one clear error for a missing file, bad JSON or
 * another schema. `what` names the role in messages ("report", "baseline").
 */
export function readReport(file: string, what = 'report'): Report {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw inputError(`cannot read ${what} '${file}': ${why} (give the report.json written by memprof profile, run or demo)`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw inputError(`${what} '${file}' is not valid JSON: ${(err as Error).message}`);
  }
  const schema = data && typeof data === 'object' ? (data as { schema?: unknown }).schema : undefined;
  if (schema !== 'memprof/report@1') {
    throw inputError(
      `${what} '${file}' is not a memprof report (schema ${JSON.stringify(schema ?? null)}, expected "memprof/report@1")`,
    );
  }
  return data as Report;
}
