import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The longest files (end-to-end runs of a minute or more each) start first, so the two workers
 * finish together instead of one waiting on a long file that started last (CI has no duration
 * cache on a fresh machine, and the default order is by file size).
 */
const LONG_FIRST = [
  'test/e2e/verdict-matrix.test.ts',
  'test/e2e/verdict-matrix-bounded.test.ts',
  'test/e2e/stdio.test.ts',
  'test/commands/demo.test.ts',
  'test/commands/run.test.ts',
  'test/snapshot/node-versions.test.ts',
];

class LongFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification): number => {
      const i = LONG_FIRST.findIndex((p) => f.moduleId.endsWith(p));
      return i < 0 ? LONG_FIRST.length : i;
    };
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map((x) => x.f);
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests spawn real Node processes and inspectors; two cores, so keep parallelism modest.
    maxWorkers: 2,
    fileParallelism: true,
    sequence: { sequencer: LongFirst },
  },
});
