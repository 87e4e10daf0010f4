/**
 * The page's own script: reads the charts' JSON from the page and draws each with uPlot. It runs
 * in the browser, so it is kept as a string of plain ES2017 (no imports, no build step) and
 * inlined after uPlot. When it has drawn a chart it writes what it drew on the chart's element
 * (`data-drawn`: rows of x; `data-series`: points per series), which the browser test reads.
 */
export const CHART_SCRIPT = String.raw`(function () {
  'use strict';
  var specs = JSON.parse(document.getElementById('memprof-data').textContent).charts;
  var charts = [];
  function heightFor(width) { return width < 520 ? 220 : 300; }
  function seriesOpts(s) {
    var o = { label: s.label, stroke: s.color, width: 1.5, scale: s.axis || 'y', spanGaps: true };
    if (s.style === 'points') {
      o.paths = function () { return null; };
      o.points = { show: true, size: 6, stroke: s.color, fill: s.color };
    } else if (s.style === 'step' || s.style === 'cdf') {
      o.paths = uPlot.paths.stepped({ align: 1 });
      // A CDF shows its points: a kind with one pause has no step to draw, only the point.
      o.points = s.style === 'cdf' ? { show: true, size: 4, stroke: s.color, fill: s.color } : { show: false };
    } else if (s.style === 'dash') {
      o.dash = [6, 4];
      o.points = { show: false };
    } else if (s.style === 'edge') {
      o.width = 1;
      o.points = { show: false };
    }
    return o;
  }
  function axis(label, scale, side) {
    var a = { label: label, scale: scale, stroke: '#333', grid: { stroke: 'rgba(0,0,0,0.08)' }, ticks: { stroke: 'rgba(0,0,0,0.2)' } };
    if (side === 1) { a.side = 1; a.grid = { show: false }; }
    return a;
  }
  function shadeHook(spec) {
    return function (u) {
      if (!spec.shades) return;
      var ctx = u.ctx;
      ctx.save();
      spec.shades.forEach(function (sh) {
        var x0 = u.valToPos(sh.from, 'x', true), x1 = u.valToPos(sh.to, 'x', true);
        ctx.fillStyle = sh.color;
        ctx.fillRect(Math.min(x0, x1), u.bbox.top, Math.abs(x1 - x0), u.bbox.height);
      });
      ctx.restore();
    };
  }
  function recordDrawn(el) {
    return function (u) {
      el.setAttribute('data-drawn', String(u.data[0].length));
      el.setAttribute('data-series', JSON.stringify(u.data.slice(1).map(function (col) {
        var n = 0;
        for (var i = 0; i < col.length; i++) if (col[i] !== null && col[i] !== undefined) n++;
        return n;
      })));
    };
  }
  specs.forEach(function (spec) {
    var el = document.getElementById('chart-' + spec.id);
    if (!el) return;
    try {
      var fallback = el.querySelector('.nojs');
      if (fallback) fallback.remove();
      var width = el.clientWidth || 600;
      var scales = { x: { time: false, distr: spec.x.log ? 3 : 1 }, y: { distr: spec.y.log ? 3 : 1 } };
      var axes = [axis(spec.x.label, 'x'), axis(spec.y.label, 'y')];
      if (spec.y2) { scales.y2 = { distr: spec.y2.log ? 3 : 1 }; axes.push(axis(spec.y2.label, 'y2', 1)); }
      var opts = {
        width: width,
        height: heightFor(width),
        scales: scales,
        axes: axes,
        series: [{ label: spec.x.label }].concat(spec.series.map(seriesOpts)),
        legend: { live: true },
        cursor: { points: { size: 6 } },
        hooks: { drawClear: [shadeHook(spec)], draw: [recordDrawn(el)] }
      };
      if (spec.fill) opts.bands = [{ series: [spec.fill.upper, spec.fill.lower], fill: spec.fill.color }];
      charts.push({ el: el, u: new uPlot(opts, spec.data, el) });
    } catch (err) {
      el.textContent = 'this chart could not be drawn: ' + err;
      console.error(err);
    }
  });
  function fit() {
    charts.forEach(function (c) {
      var w = c.el.clientWidth || 600;
      c.u.setSize({ width: w, height: heightFor(w) });
    });
  }
  var pending = 0;
  window.addEventListener('resize', function () {
    clearTimeout(pending);
    pending = setTimeout(fit, 100);
  });
  // A printed page shows everything: collapsed retainer paths open, charts at the paper's width.
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
    fit();
  });
  document.documentElement.setAttribute('data-charts-ready', String(charts.length));
})();
`;
