"use strict";
// Kind "warmup": a sampler's warm-up, one frame per shown iteration (frames.iteration[i]).
// Four panels: the step size over iterations (log axis) with each chain's current point,
// the acceptance over recent iterations against its target (dashed), the diagonal inverse
// mass matrix per coordinate (bar: geometric mean over chains, dots: chains, tick: the
// target's variance), and the warm-up draws so far (first two coordinates). The
// adaptation's windows are shaded behind the two time panels.
registerKind("warmup", (() => {
  const COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
  let parts = null;

  function extent(values, positive) {
    let lo = Infinity, hi = -Infinity;
    for (const v of values) {
      if (!Number.isFinite(v) || (positive && v <= 0)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (lo === Infinity) return positive ? [0.1, 10] : [0, 1];
    if (lo === hi) return positive ? [lo / 2, hi * 2] : [lo - 1, hi + 1];
    return [lo, hi];
  }
  const flat = (a) => a.flat(Infinity).filter((v) => v !== null);

  // A scale mapping [d0, d1] (log10 when log) onto pixels [r0, r1].
  function scale(d0, d1, r0, r1, log) {
    const f = log ? Math.log10 : (v) => v;
    const a = f(d0), b = f(d1) === a ? a + 1 : f(d1);
    const s = (v) => r0 + (f(log ? Math.max(v, d0) : v) - a) / (b - a) * (r1 - r0);
    s.log = log; s.d0 = d0; s.d1 = d1;
    return s;
  }

  function ticks(s) {
    if (s.log) {
      const out = [];
      for (let e = Math.ceil(Math.log10(s.d0)); e <= Math.floor(Math.log10(s.d1)); e++) out.push(10 ** e);
      if (out.length >= 2) return out;
      return [s.d0, Math.sqrt(s.d0 * s.d1), s.d1];
    }
    return [0, 1, 2, 3, 4].map((k) => s.d0 + (s.d1 - s.d0) * k / 4);
  }
  const fmt = (v) => (Math.abs(v) >= 1e5 || (Math.abs(v) < 0.01 && v !== 0)) ? v.toExponential(0)
    : Math.abs(v) >= 100 ? String(Math.round(v)) : String(+v.toPrecision(2));

  // A panel: frame, title, axes with ticks; returns its group and scales.
  function panel(svg, box, title, sx, sy, xTitle) {
    const g = svgNode("g", {class: "panel"}, svg);
    svgNode("text", {x: box.x, y: box.y - 6, "font-weight": "bold"}, g).textContent = title;
    const axis = svgNode("g", {class: "axis"}, g);
    svgNode("line", {x1: box.x, x2: box.x + box.w, y1: box.y + box.h, y2: box.y + box.h}, axis);
    svgNode("line", {x1: box.x, x2: box.x, y1: box.y, y2: box.y + box.h}, axis);
    for (const t of ticks(sy)) {
      const y = sy(t);
      if (y < box.y - 1 || y > box.y + box.h + 1) continue;
      svgNode("text", {x: box.x - 4, y: y + 4, "text-anchor": "end"}, axis).textContent = fmt(t);
    }
    if (sx) {
      for (const t of ticks(sx)) {
        svgNode("text", {x: sx(t), y: box.y + box.h + 14, "text-anchor": "middle"}, axis).textContent = fmt(Math.round(t));
      }
      svgNode("text", {x: box.x + box.w / 2, y: box.y + box.h + 28, "text-anchor": "middle"}, axis).textContent = xTitle || "";
    }
    return g;
  }

  function shade(g, f, box, sx) {
    f.windows.forEach(([a, b], k) => {
      svgNode("rect", {x: sx(a), y: box.y, width: Math.max(1, sx(b) - sx(a)), height: box.h,
                       fill: k % 2 ? "#d9d9d9" : "#ececec", class: "window"}, g);
    });
  }

  // A time series per chain: its points' text, drawn up to the frame, and a moving dot.
  function series(g, values, sx, sy, f) {
    return values.map((row, c) => ({
      // null (a number JSON cannot hold) leaves a gap: no point, the dot stays where it was.
      points: row.map((v, k) => (v === null ? null : `${sx(f.iteration[k]).toFixed(1)},${sy(v).toFixed(1)}`)),
      line: svgNode("polyline", {fill: "none", stroke: COLOURS[c % 8], "stroke-width": 1.5, "stroke-opacity": 0.85}, g),
      dot: svgNode("circle", {r: 4, fill: COLOURS[c % 8], stroke: "#fff", "stroke-width": 1, class: "current"}, g),
    }));
  }

  return {
    count: (f) => f.iteration.length,
    layout(stage, f, h) {
      const svg = svgNode("svg", {id: "plot", width: "100%", height: h, role: "img", "aria-label": "warm-up animation"}, stage);
      // H leaves a margin under the bottom axes: the caption above may wrap to more lines
      // than when the player measured its height.
      const W = svg.clientWidth || 700, H = h - 24;
      const withDraws = f.x && f.x.length > 0;
      const gap = 64, left = 52, top = 22, below = 62, colW = (W - left - gap - 22) / 2, rowH = (H - top - 2 * below + 24) / 2;
      const boxes = {
        step: {x: left, y: top, w: colW, h: rowH},
        accept: {x: left + colW + gap, y: top, w: colW, h: rowH},
        metric: {x: left, y: top + rowH + below, w: withDraws ? colW : 2 * colW + gap, h: rowH},
        draws: {x: left + colW + gap, y: top + rowH + below, w: colW, h: rowH},
      };
      const nw = f.n_warmup;
      const sxStep = scale(0, nw, boxes.step.x, boxes.step.x + boxes.step.w, false);
      const sxAcc = scale(0, nw, boxes.accept.x, boxes.accept.x + boxes.accept.w, false);
      const [s0, s1] = extent(flat(f.step_size), true);
      const syStep = scale(s0 / 1.2, s1 * 1.2, boxes.step.y + boxes.step.h, boxes.step.y, true);
      const syAcc = scale(0, 1, boxes.accept.y + boxes.accept.h, boxes.accept.y, false);
      const gStep = panel(svg, boxes.step, f.adaptation === "metropolis" ? "Proposal scale (log axis)" : "Step size (log axis)", sxStep, syStep, "warm-up iteration");
      const gAcc = panel(svg, boxes.accept, `Acceptance, last ${f.accept_window} (target ${f.target_accept})`, sxAcc, syAcc, "warm-up iteration");
      shade(gStep, f, boxes.step, sxStep);
      shade(gAcc, f, boxes.accept, sxAcc);
      svgNode("line", {x1: boxes.accept.x, x2: boxes.accept.x + boxes.accept.w, y1: syAcc(f.target_accept),
                       y2: syAcc(f.target_accept), stroke: "#333", "stroke-dasharray": "5 3", class: "target"}, gAcc);
      const cursors = [[gStep, boxes.step], [gAcc, boxes.accept]].map(([g, b]) =>
        svgNode("line", {y1: b.y, y2: b.y + b.h, stroke: "#555", "stroke-width": 1, class: "cursor"}, g));
      const step = series(gStep, f.step_size, sxStep, syStep, f);
      const accept = series(gAcc, f.accept, sxAcc, syAcc, f);

      // The metric: one slot per coordinate, on a log axis shared by all frames.
      const mb = boxes.metric, nc = f.coords.length;
      const [m0, m1] = extent(flat(f.metric).concat(f.true_var || []), true);
      const syM = scale(m0 / 1.5, m1 * 1.5, mb.y + mb.h, mb.y, true);
      const gM = panel(svg, mb, f.adaptation === "metropolis" ? "Proposal variances (log axis)" : "Inverse mass matrix (log axis)", null, syM);
      const slot = mb.w / nc;
      const coords = f.coords.map((name, j) => {
        const cx = mb.x + slot * (j + 0.5), bw = Math.min(36, slot * 0.6);
        svgNode("text", {x: cx, y: mb.y + mb.h + 14, "text-anchor": "middle", style: slot < 36 ? "font-size: 9px" : ""},
                gM).textContent = name;
        const bar = svgNode("rect", {x: cx - bw / 2, width: bw, fill: "#56B4E9", "fill-opacity": 0.55, class: "metric-bar"}, gM);
        if (f.true_var) {
          const y = syM(f.true_var[j]);
          svgNode("line", {x1: cx - bw / 2 - 4, x2: cx + bw / 2 + 4, y1: y, y2: y, stroke: "#000", "stroke-width": 2, class: "truth"}, gM);
        }
        const dots = f.metric[0].map((_, c) => svgNode("circle", {cx: cx + (c - (f.metric[0].length - 1) / 2) * Math.min(5, bw / 8),
                                                                   r: 2.5, fill: COLOURS[c % 8]}, gM));
        return {bar, dots};
      });

      let draws = null;
      if (withDraws) {
        const db = boxes.draws;
        const [x0, x1] = extent(flat(f.x), false), [y0, y1] = extent(flat(f.y), false);
        const px = (x1 - x0) * 0.05, py = (y1 - y0) * 0.05;
        const sx = scale(x0 - px, x1 + px, db.x, db.x + db.w, false);
        const sy = scale(y0 - py, y1 + py, db.y + db.h, db.y, false);
        const gD = panel(svg, db, `Draws (${f.coords[0]}, ${f.coords[1] || ""})`, sx, sy, "");
        draws = f.x.map((row, c) => ({
          points: row.map((v, k) => (v === null || f.y[c][k] === null ? "" : `M${sx(v).toFixed(1)},${sy(f.y[c][k]).toFixed(1)}h0`)),
          path: svgNode("path", {fill: "none", stroke: COLOURS[c % 8], "stroke-width": 4, "stroke-linecap": "round",
                                 "stroke-opacity": 0.5, class: "draws"}, gD),
          dot: svgNode("circle", {r: 5, fill: COLOURS[c % 8], stroke: "#000", "stroke-width": 1, class: "current"}, gD),
          sx, sy,
        }));
      }
      parts = {step, accept, cursors, sxStep, sxAcc, coords, syM, mb, draws};
    },
    draw(stage, f, i) {
      const p = parts, it = f.iteration[i];
      for (const s of p.step.concat(p.accept)) {
        s.line.setAttribute("points", s.points.slice(0, i + 1).filter(Boolean).join(" "));
        if (s.points[i] === null) continue;
        const [x, y] = s.points[i].split(",");
        s.dot.setAttribute("cx", x);
        s.dot.setAttribute("cy", y);
      }
      p.cursors[0].setAttribute("x1", p.sxStep(it)); p.cursors[0].setAttribute("x2", p.sxStep(it));
      p.cursors[1].setAttribute("x1", p.sxAcc(it)); p.cursors[1].setAttribute("x2", p.sxAcc(it));
      const base = p.mb.y + p.mb.h;
      p.coords.forEach(({bar, dots}, j) => {
        const values = f.metric[i].map((row) => row[j]);
        const gmean = Math.exp(values.reduce((a, v) => a + Math.log(v), 0) / values.length);
        const y = p.syM(gmean);
        bar.setAttribute("y", Math.min(y, base));
        bar.setAttribute("height", Math.max(0, base - y));
        dots.forEach((dot, c) => dot.setAttribute("cy", p.syM(values[c])));
      });
      if (p.draws) {
        for (const [c, d] of p.draws.entries()) {
          d.path.setAttribute("d", d.points.slice(0, i + 1).join(""));
          if (!d.points[i]) continue;
          d.dot.setAttribute("cx", d.sx(f.x[c][i]));
          d.dot.setAttribute("cy", d.sy(f.y[c][i]));
        }
      }
    },
  };
})());
