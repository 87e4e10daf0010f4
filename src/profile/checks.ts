import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultConfig, parseConfig, type CheckConfig } from '../check/config.js';
import { evaluateChecks } from '../check/evaluate.js';
import type { Report } from '../model/report.js';
import { inputError } from '../util/errors.js';

export const CONFIG_FILE = 'memprof.config.json';

/**
 * The checklist the report is checked against: memprof.config.json in the working directory when
 * there is one, else the built-in defaults. Read before the run starts, so a broken config fails
 * in a second rather than after minutes of profiling.
 */
export function loadRunConfig(cwd = process.cwd()): CheckConfig {
  const file = path.join(cwd, CONFIG_FILE);
  if (!existsSync(file)) return defaultConfig();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw inputError(`${file}: not valid JSON (${(err as Error).message.split('\n')[0]}); fix it or remove it to use the built-in checks`);
  }
  return parseConfig(raw, file);
}

/** Fills `report.checks`; true when any check failed. */
export function applyChecks(report: Report, config: CheckConfig): boolean {
  report.checks = evaluateChecks(report, config);
  return report.checks.some((c) => !c.pass);
}
