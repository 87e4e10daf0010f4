import { describe, expect, it } from 'vitest';
import { formatBytes, parseDuration, parseSize } from '../../src/util/units.js';

describe('units', () => {
  it('parses sizes in decimal and binary units', () => {
    expect(parseSize('2MiB')).toBe(2 * 1024 * 1024);
    expect(parseSize('2 MB')).toBe(2_000_000);
    expect(parseSize('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('100')).toBe(100);
    expect(() => parseSize('12 parsecs')).toThrow(/invalid size/);
  });
  it('parses durations', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(() => parseDuration('soon')).toThrow(/invalid duration/);
  });
  it('formats bytes with binary units and says when a figure was not measured', () => {
    expect(formatBytes(33 * 1024)).toBe('33.0 KiB');
    expect(formatBytes(-2048)).toBe('-2.0 KiB');
    expect(formatBytes(null)).toBe('not measured');
  });
});
