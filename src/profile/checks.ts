import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultConfig, parseConfig, type CheckConfig } from '../check/config.js';
import { evaluateChecks } from '../check/evaluate.js';
import type { Report } from '../model/report.js';
import { inputError } from '../util/errors.js';

export const CONFIG_FILE = 'memprof.config.json';

/**
 * The checklist a report is checked against: `file` (--config) when given, else
 * memprof.config.json in `cwd` when there is one, else the built-in defaults. `profile` and `run`
 * read it before the run starts, so a broken config fails in a second rather than after minutes
 * of profiling.
 */
export function loadRunConfig(file?: string, cwd = process.cwd()): CheckConfig {
  const implicit = path.join(cwd, CONFIG_FILE);
  const where = file ?? (existsSync(implicit) ? implicit : undefined);
  if (where === undefined) return defaultConfig();
  let text: string;
  try {
    text = readFileSync(where, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw inputError(`cannot read config '${where}': ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : (err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw inputError(`config '${where}' is not valid JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  return parseConfig(raw, file ?? CONFIG_FILE);
}

/** Fills `report.checks`; true when any check failed. */
export function applyChecks(report: Report, config: CheckConfig): boolean {
  report.checks = evaluateChecks(report, config);
  return report.checks.some((c) => !c.pass);
}
