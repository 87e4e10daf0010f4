import { describe, expect, it } from 'vitest';
import { defaultConfig, parseConfig } from '../../src/check/config.js';
import { figureKind } from '../../src/check/figures.js';
import { parseThreshold, parseTolerance } from '../../src/check/units.js';

const MiB = 1024 * 1024;

describe('thresholds and units', () => {
  it('converts each unit to the figure’s own unit', () => {
    expect(parseThreshold('< 2MiB', 'bytes', 'k').value).toBe(2 * MiB);
    expect(parseThreshold('<2MB', 'bytes', 'k').value).toBe(2_000_000);
    expect(parseThreshold('<= 1.5 GiB', 'bytes', 'k').value).toBe(1.5 * 1024 * MiB);
    expect(parseThreshold('< 512KB', 'bytes', 'k').value).toBe(512_000);
    expect(parseThreshold('< 4096', 'bytes', 'k').value).toBe(4096);
    expect(parseThreshold('< 1MiB/h', 'bytesPerHour', 'k').value).toBe(MiB);
    expect(parseThreshold('< 1.5s', 'ms', 'k').value).toBe(1500);
    expect(parseThreshold('< 100', 'ms', 'k').value).toBe(100);
    expect(parseThreshold('< 250ms', 'sec', 'k').value).toBe(0.25);
    expect(parseThreshold('> 85%', 'ratio', 'k').value).toBeCloseTo(0.85, 12);
    expect(parseThreshold('< 5%', 'pct', 'k').value).toBe(5);
    expect(parseThreshold('== 0', 'count', 'k')).toEqual({ op: '==', value: 0, text: '== 0' });
    expect(parseThreshold('!= -1', 'number', 'k').op).toBe('!=');
  });
  it('refuses a unit that does not fit the figure, naming the key', () => {
    expect(() => parseThreshold('< 2MiB', 'ms', 'cfg: checks."gc.major.maxMs"')).toThrow(/cfg: checks."gc.major.maxMs": unit 'MiB'.*time in ms/);
    expect(() => parseThreshold('< 10 parsecs', 'bytes', 'k')).toThrow(/unit 'parsecs'/);
    expect(() => parseThreshold('== 0%', 'count', 'k')).toThrow(/count/);
    expect(() => parseThreshold('< 1MiB/h', 'bytes', 'k')).toThrow(/unit/);
    expect(() => parseThreshold('~ 5', 'number', 'k')).toThrow(/OP VALUE/);
    expect(() => parseThreshold('< ', 'number', 'k')).toThrow(/OP VALUE/);
    expect(() => parseThreshold(5, 'number', 'k')).toThrow(/expected a string/);
  });
  it('tolerances are relative percentages or absolute values in the figure’s unit', () => {
    expect(parseTolerance('5%', null, 'k')).toEqual({ relative: 0.05 });
    expect(parseTolerance('256KiB', 'bytesPerHour', 'k')).toEqual({ absolute: 256 * 1024, text: '256KiB' });
    expect(() => parseTolerance('5', null, 'baseline.tolerance')).toThrow(/baseline.tolerance/);
  });
  it('knows the kind of each report figure from its name', () => {
    expect(figureKind('connections.marginalBytesPerConnection')).toBe('bytes');
    expect(figureKind('growth.steadyBytesPerHour')).toBe('bytesPerHour');
    expect(figureKind('gc.major.maxMs')).toBe('ms');
    expect(figureKind('load.latencyMs.p99')).toBe('ms');
    expect(figureKind('memory.rssBytes.peak')).toBe('bytes');
    expect(figureKind('pools.*.reuseRatio')).toBe('ratio');
    expect(figureKind('gc.overheadPct')).toBe('pct');
    expect(figureKind('leaks.length')).toBe('count');
    expect(figureKind('leaks.*.retainedSize')).toBe('bytes');
    expect(figureKind('load.connectPerSec')).toBe('number');
    expect(figureKind('durationSec')).toBe('sec');
    expect(figureKind('connections.r2')).toBe('number');
    expect(figureKind('connections.steps.*.bytesPerConnection')).toBe('bytes');
  });
});

describe('config', () => {
  it('defaults are the origin report’s checklist', () => {
    const c = defaultConfig();
    expect(c.source).toBe('built-in defaults');
    expect(c.checks.map((s) => [s.path, s.threshold.op, s.threshold.value])).toEqual([
      ['connections.marginalBytesPerConnection', '<', 2 * MiB],
      ['growth.steadyBytesPerHour', '<', MiB],
      ['gc.major.maxMs', '<', 100],
      ['pools.*.reuseRatio', '>', 0.85],
      ['leaks.length', '==', 0],
    ]);
    expect(c.tolerance).toEqual({ relative: 0.05 });
    expect(c.required).toEqual([]);
  });
  it('replaces the default checks when it has its own, keeps them when it has none', () => {
    expect(parseConfig({ checks: { 'gc.totalMs': '< 1s' } }, 'f').checks).toHaveLength(1);
    const c = parseConfig({ baseline: { tolerance: '10%' } }, 'f');
    expect(c.checks).toHaveLength(5);
    expect(c.tolerance).toEqual({ relative: 0.1 });
  });
  it('names the offending key', () => {
    expect(() => parseConfig({ chekcs: {} }, 'my.json')).toThrow(/my.json: unknown key 'chekcs'/);
    expect(() => parseConfig({ checks: { 'gc.major.maxMs': '< 1GiB' } }, 'my.json')).toThrow(/checks."gc.major.maxMs"/);
    expect(() => parseConfig({ checks: { 'gc..x': '< 1' } }, 'my.json')).toThrow(/not a report path/);
    expect(() => parseConfig({ baseline: { tolerence: '5%' } }, 'my.json')).toThrow(/baseline.tolerence/);
    expect(() => parseConfig({ required: ['load.errors'] }, 'my.json')).toThrow(/required: 'load.errors' is not one of the checks/);
    expect(() => parseConfig([], 'my.json')).toThrow(/JSON object/);
    expect(() => parseConfig({ checks: { 'gc.totalMs': '< 1s' }, baseline: { tolerances: { 'gc.totalMs': 'lots' } } }, 'my.json')).toThrow(/baseline.tolerances."gc.totalMs"/);
  });
});
