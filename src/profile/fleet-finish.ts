import path from 'node:path';
import type { CheckConfig } from '../check/config.js';
import { worstChecks } from '../check/fleet.js';
import { fleetReport } from '../analysis/fleet.js';
import type { FleetInstance, Report } from '../model/report.js';
import { renderFleet } from '../report/fleet-text.js';
import { renderReport } from '../report/report-text.js';
import { useColor } from '../util/color.js';
import { MemprofError } from '../util/errors.js';
import { VERSION } from '../util/version.js';
import { assembleReport } from './assemble.js';
import { writeFileAtomic } from './atomic-write.js';
import { applyChecks } from './checks.js';
import type { Finished } from './finish.js';
import type { ProfileOptions } from './profiler.js';
import type { Recording } from './recording.js';

/**
 * The fleet's finish: each instance's recording becomes its own report exactly as a single
 * target's does (snapshots analysed one instance at a time, so memprof holds one heap graph at
 * once), written to DIR/instances/K/report.json and checked on its own; then DIR/report.json holds
 * the fleet (instances[], sums, worst instances, each check's worst row). Exit: 2 when every
 * instance was lost or memprof failed, 130 interrupted, else the checks' 0 or 1.
 */
export async function finishFleet(
  outDir: string,
  runs: Array<{ rec: Recording; options: ProfileOptions }>,
  opts: { config: CheckConfig; startedAt: number; progress: (line: string) => void; lostHint?: string },
): Promise<Finished> {
  const instances: FleetInstance[] = [];
  for (const [k, { rec, options }] of runs.entries()) {
    if (options.snapshots > 0) {
      const { analyzeSnapshots } = await import('./snapshot-analysis.js');
      await analyzeSnapshots(rec, options, (line) => opts.progress(`[${k}] ${line}`));
    }
    const own = assembleReport(rec, VERSION);
    applyChecks(own, opts.config);
    writeFileAtomic(path.join(options.outDir, 'report.json'), JSON.stringify(own, null, 2) + '\n');
    instances.push(toInstance(own, rec, k, path.relative(outDir, options.outDir), opts.startedAt));
  }
  const report = fleetReport(instances, VERSION);
  report.checks = worstChecks(instances);
  const checksFailed = report.checks.some((c) => !c.pass);
  const reportPath = path.join(outDir, 'report.json');
  writeFileAtomic(reportPath, JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(renderReport(report, { color: useColor() }) + renderFleet(report));

  const failure = runs.find((r) => r.rec.failure)?.rec.failure;
  if (failure) throw new MemprofError(`${failure}; what was measured before is in ${reportPath}`, 2);
  const lost = instances.filter((i) => i.status === 'exited');
  if (lost.length === instances.length) {
    throw new MemprofError(
      `every target went away during the run (${lost.map((i) => `${i.name}: ${i.exited?.how}`).join('; ')}); written to ${reportPath}${opts.lostHint ? `; ${opts.lostHint}` : ''}`,
      2,
    );
  }
  for (const i of lost) process.stderr.write(`memprof: ${i.name} exited during the run (${i.exited?.how}); the other instances were measured to the end\n`);
  if (runs.some((r) => r.rec.ended === 'interrupted')) {
    process.stderr.write(`memprof: interrupted; ${report.durationSec.toFixed(1)} s measured, written to ${reportPath}\n`);
    return { report, reportPath, exitCode: 130, checksFailed };
  }
  process.stderr.write(`memprof: fleet report written to ${reportPath}${checksFailed ? '; a check did not pass on an instance (exit 1)' : ''}\n`);
  return { report, reportPath, exitCode: checksFailed ? 1 : 0, checksFailed };
}

function toInstance(own: Report, rec: Recording, k: number, dir: string, startedAt: number): FleetInstance {
  const lost = rec.ended === 'target-lost';
  return {
    name: `#${k} pid ${own.target.pid ?? 'unknown'}`,
    dir,
    target: own.target,
    status: lost ? 'exited' : 'ok',
    ...(lost ? { exited: { atSec: Math.max(0, rec.endedAt - startedAt) / 1000, how: rec.notes.run ?? 'inspector connection closed' } } : {}),
    durationSec: own.durationSec,
    memory: own.memory,
    ...(own.connections ? { connections: own.connections } : {}),
    growth: own.growth,
    gc: own.gc,
    pools: own.pools,
    ...(own.leaks !== undefined ? { leaks: own.leaks } : {}),
    ...(own.load ? { load: own.load } : {}),
    checks: own.checks,
    ...(own.notes ? { notes: own.notes } : {}),
  };
}
