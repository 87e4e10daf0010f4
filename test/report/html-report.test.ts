import { describe, expect, it } from 'vitest';
import type { GcEvent, MemorySample } from '../../src/model/recording.js';
import { renderHtmlReport } from '../../src/report/html-report.js';
import { jsonForScript } from '../../src/report/html/escape.js';
import { squarify } from '../../src/report/html/treemap.js';
import { sampleReport } from './sample-report.js';

const ASSETS = { uplotJs: 'var uPlot = function () {};', uplotCss: '.uplot {}' };
const HOSTILE = '</script><img src=x onerror=alert(1)><!--';

function samples(n: number): MemorySample[] {
  return Array.from({ length: n }, (_, i) => ({
    t: 1_000_000 + i * 1000, heapUsed: 40e6 + i * 1000, heapTotal: 60e6, rss: 120e6, external: 0, arrayBuffers: 0,
    phase: i < 3 ? 'idle' : i < 6 ? 'load' : 'steady', window: i >= 8, afterGc: i % 3 === 0, connections: i < 3 ? 0 : 10,
  }));
}

describe('renderHtmlReport (pure)', () => {
  it('puts no string from the report into the page unescaped', () => {
    const report = sampleReport((r) => {
      r.target.command = HOSTILE;
      r.leaks = [{ name: HOSTILE, count: 1, retainedSize: 10, growthBytes: 0, path: ['(GC roots)', HOSTILE, HOSTILE] }];
      r.pools = [{ name: HOSTILE, created: 1, reused: 1, reuseRatio: 0.5, peakInUse: 1 }];
      r.notes = { [HOSTILE]: HOSTILE };
    });
    const html = renderHtmlReport({ report, samples: samples(12), gcEvents: [], assets: ASSETS });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<!--');
    // Exactly the three script elements the page is made of open and close.
    expect(html.match(/<script\b/g)).toHaveLength(3);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(html).toContain('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('inlines the charts as JSON that parses back to the same data, one row per sample and per GC event', () => {
    const gc: GcEvent[] = [
      { t: 1_000_500, kind: 'minor', durationMs: 1.5 },
      { t: 1_002_500, kind: 'major', durationMs: 0, forced: true },
    ];
    const html = renderHtmlReport({ report: sampleReport(), samples: samples(12), gcEvents: gc, assets: ASSETS });
    const json = /<script type="application\/json" id="memprof-data">(.*?)<\/script>/s.exec(html)![1];
    const charts = JSON.parse(json).charts as Array<{ id: string; data: unknown[][] }>;
    const byId = Object.fromEntries(charts.map((c) => [c.id, c]));
    expect(byId.memory.data[0]).toHaveLength(12);
    expect(byId['gc-time'].data[0]).toEqual([0.5, 2.5]); // seconds since the first sample, the run's clock
    expect(byId['gc-time'].data[2]).toEqual([null, 0.001]); // a 0 ms pause sits at the log axis' floor
    expect(html).toMatch(/data-chart="memory" data-points="12"/);
    expect(JSON.parse(jsonForScript({ s: '</script>\u2028&' }))).toEqual({ s: '</script>\u2028&' });
  });

  it('squarified treemap: areas proportional to the values, inside the box, no overlap on a line', () => {
    const rects = squarify([6, 6, 4, 3, 2, 2, 1], { x: 0, y: 0, w: 6, h: 4 });
    rects.forEach((r, i) => expect(r.w * r.h).toBeCloseTo([6, 6, 4, 3, 2, 2, 1][i], 6));
    for (const r of rects) {
      expect(r.x + r.w).toBeLessThanOrEqual(6 + 1e-9);
      expect(r.y + r.h).toBeLessThanOrEqual(4 + 1e-9);
    }
  });
});
