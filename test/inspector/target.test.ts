import { describe, expect, it } from 'vitest';
import { defaultFileName } from '../../src/commands/snapshot.js';
import { readHeadroom } from '../../src/inspector/headroom.js';
import { requestedInspectPort } from '../../src/inspector/proc.js';
import { assessSnapshotRisk, SNAPSHOT_MEMORY_FACTOR } from '../../src/inspector/snapshot-risk.js';
import { assertLoopbackAllowed, isLoopbackAddress, parseTargetSpec } from '../../src/inspector/target.js';

describe('parseTargetSpec', () => {
  it('reads the three forms of --target', () => {
    expect(parseTargetSpec('127.0.0.1:9229')).toEqual({ kind: 'hostport', host: '127.0.0.1', port: 9229 });
    expect(parseTargetSpec('localhost:9230')).toEqual({ kind: 'hostport', host: 'localhost', port: 9230 });
    expect(parseTargetSpec('[::1]:9229')).toEqual({ kind: 'hostport', host: '::1', port: 9229 });
    expect(parseTargetSpec('ws://127.0.0.1:9229/0f2c-11')).toEqual({ kind: 'ws', url: 'ws://127.0.0.1:9229/0f2c-11', host: '127.0.0.1', port: 9229 });
    expect(parseTargetSpec('ws://[::1]:9229/x')).toMatchObject({ kind: 'ws', host: '::1', port: 9229 });
    expect(parseTargetSpec('pid:4242')).toEqual({ kind: 'pid', pid: 4242 });
  });

  it.each([
    ['', /--target is empty/],
    ['9229', /a bare number is ambiguous; use 127\.0\.0\.1:9229 .* or pid:9229/],
    ['127.0.0.1:70000', /port 70000 is out of range/],
    ['pid:0', /the pid must be a positive integer/],
    ['pid:abc', /use HOST:PORT/],
    ['http://127.0.0.1:9229', /use HOST:PORT/],
    ['[nothex]:9229', /use HOST:PORT/],
  ])('rejects %j with a one-line input error', (spec, message) => {
    expect(() => parseTargetSpec(spec)).toThrow(message);
  });
});

describe('loopback policy', () => {
  it('knows loopback addresses', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(a)).toBe(true);
    for (const a of ['10.0.0.1', '0.0.0.0', '::', '192.168.1.1', 'fe80::1', '::ffff:10.0.0.1']) expect(isLoopbackAddress(a)).toBe(false);
  });

  it('accepts localhost, refuses other hosts unless allowed', async () => {
    expect(await assertLoopbackAllowed('localhost', false)).toContain('127.0.0.1');
    await expect(assertLoopbackAllowed('10.0.0.1', false)).rejects.toThrow(/--allow-remote/);
    expect(await assertLoopbackAllowed('10.0.0.1', true)).toEqual(['10.0.0.1']);
    await expect(assertLoopbackAllowed('no-such-host.invalid', false)).rejects.toThrow(/cannot resolve the target host/);
  });
});

describe('requestedInspectPort', () => {
  it('finds the port SIGUSR1 will open from node options', () => {
    expect(requestedInspectPort([])).toBe(null);
    expect(requestedInspectPort(['--inspect-port=9339'])).toEqual({ host: '127.0.0.1', port: 9339 });
    expect(requestedInspectPort(['--inspect-port', '0'])).toEqual({ host: '127.0.0.1', port: 0 });
    expect(requestedInspectPort(['--inspect-port=0.0.0.0:9400'])).toEqual({ host: '0.0.0.0', port: 9400 });
    expect(requestedInspectPort(['--max-old-space-size=100', '--debug-port=9500'])).toEqual({ host: '127.0.0.1', port: 9500 });
  });
});

describe('snapshot risk', () => {
  it('refuses when the estimate exceeds the headroom, warns above half of it', () => {
    const heap = 100 * 2 ** 20;
    const need = heap * SNAPSHOT_MEMORY_FACTOR;
    expect(assessSnapshotRisk(heap, { bytes: need - 1, source: 'its memory cgroup' })).toMatchObject({ verdict: 'refuse', neededBytes: need });
    expect(assessSnapshotRisk(heap, { bytes: need - 1, source: 'its memory cgroup' }).message).toMatch(/only .* free according to its memory cgroup/);
    expect(assessSnapshotRisk(heap, { bytes: need + 1, source: 'x' }).verdict).toBe('warn');
    expect(assessSnapshotRisk(heap, { bytes: need * 3, source: 'x' }).verdict).toBe('ok');
    expect(assessSnapshotRisk(heap, { bytes: null, source: 'not local' })).toMatchObject({ verdict: 'unknown', headroomBytes: null });
  });

  it('reads a real headroom for a local process', async () => {
    const h = await readHeadroom(process.pid);
    expect(h.memAvailable).toBeGreaterThan(0);
    expect(h.bytes).toBeGreaterThan(0);
    expect(h.bytes).toBeLessThanOrEqual(h.memAvailable!);
  });
});

describe('defaultFileName', () => {
  it('is Heap-<pid>-<local timestamp>.heapsnapshot', () => {
    expect(defaultFileName(123, new Date(2026, 0, 2, 3, 4, 5))).toBe('Heap-123-20260102T030405.heapsnapshot');
  });
});
