"use strict";
// Kind "mcmc": samplers moving over a target's density, drawn on <canvas>. Every number
// comes from the page (dashboard/topics/mcmc/motion.py): positions, moves, histogram
// counts at checkpoints, running R-hat and bulk-ESS. This file only draws them.
//   overview: all chains, frame f = iteration f, histograms and diagnostics filling;
//   detail:   one chain, frame = one step of an iteration (a leapfrog point, a proposal
//             and its verdict, one coordinate update).
registerKind("mcmc", (() => {
  const REGIONS = ["#a8a8a8", "#d0d0d0", "#ececec"];          // 50%, 90%, 99% regions
  const REJECT = "#6b6b6b";                                     // rejected: grey, dashed, ✕
  const DIVERGE = "#D55E00";                                    // divergence: vermillion ▲
  // NUTS doublings by depth: Okabe-Ito's colour-blind-safe colours, one per depth.
  const DEPTH = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#000000", "#F0E442", "#D55E00", "#999999", "#8B4513"];
  let canvas, ctx, bg, box, legend, dpr = 1;
  const at2 = (a, k) => [a[2 * k], a[2 * k + 1]];

  // The last checkpoint at or before frame f (checkpoints increase).
  function lastAt(list, f) {
    let lo = 0, hi = list.length - 1, best = -1;
    while (lo <= hi) { const mid = (lo + hi) >> 1; if (list[mid] <= f) { best = mid; lo = mid + 1; } else hi = mid - 1; }
    return best;
  }

  function geometry(f, width, height) {
    const detail = f.mode === "detail";
    const side = detail ? 0 : 64, diagW = detail ? 0 : Math.max(180, width * 0.3);
    const left = 44, top = 6, bottom = 34;
    const size = Math.max(120, Math.min(width - left - side - diagW - 24, height - top - bottom - side));
    const [[x0, x1], [y0, y1]] = f.zoom || f.range;  // detail mode zooms on the chain's steps
    const plot = {x: left, y: top, w: size, h: size};
    return {
      plot, sx: (x) => plot.x + (x - x0) / (x1 - x0) * plot.w, sy: (y) => plot.y + plot.h - (y - y0) / (y1 - y0) * plot.h,
      xh: {x: plot.x, y: plot.y + plot.h + 22, w: plot.w, h: side - 6},
      yh: {x: plot.x + plot.w + 6, y: plot.y, w: side - 6, h: plot.h},
      diag: {x: plot.x + plot.w + side + 40, y: plot.y + 14, w: diagW - 44, h: plot.h - 14},
      notes: {x: plot.x + plot.w + 24, y: plot.y + 14},
    };
  }

  function text(c, s, x, y, align, colour) {
    c.fillStyle = colour || getComputedStyle(document.body).color || "#31333f";
    c.textAlign = align || "left";
    c.fillText(s, x, y);
  }

  function background(f) {
    const g = box, c = bg.getContext("2d");
    c.setTransform(dpr, 0, 0, dpr, 0, 0);
    c.clearRect(0, 0, bg.width, bg.height);
    c.font = "12px sans-serif";
    const grid = f.grid, [[x0, x1], [y0, y1]] = f.range, [[v0, v1], [w0, w1]] = f.zoom || f.range;
    const dx = (x1 - x0) / (grid.nx - 1), dy = (y1 - y0) / (grid.ny - 1);
    c.fillStyle = "#ffffff";
    c.fillRect(g.plot.x, g.plot.y, g.plot.w, g.plot.h);
    // One pixel per grid cell, then scaled up smoothly onto the plot: soft band edges.
    const cells = document.createElement("canvas");
    cells.width = grid.nx; cells.height = grid.ny;
    const cc = cells.getContext("2d"), image = cc.createImageData(grid.nx, grid.ny);
    const rgb = REGIONS.map((h) => [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16)));
    for (let r = 0; r < grid.ny; r++) {
      for (let k = 0; k < grid.nx; k++) {
        const v = grid.values[r * grid.nx + k];
        const level = grid.levels.findIndex((t) => v >= t);
        const colour = level < 0 ? [255, 255, 255] : rgb[level];
        const o = 4 * ((grid.ny - 1 - r) * grid.nx + k);  // rows follow y upward
        image.data.set([colour[0], colour[1], colour[2], 255], o);
      }
    }
    cc.putImageData(image, 0, 0);
    c.imageSmoothingEnabled = true;
    // Cell centres sit on the grid points: the image spans half a cell beyond the range.
    const xa = g.sx(x0 - dx / 2), xb = g.sx(x1 + dx / 2), ya = g.sy(y1 + dy / 2), yb = g.sy(y0 - dy / 2);
    c.save();
    c.beginPath(); c.rect(g.plot.x, g.plot.y, g.plot.w, g.plot.h); c.clip();
    c.drawImage(cells, xa, ya, xb - xa, yb - ya);
    c.restore();
    c.strokeStyle = "#888"; c.lineWidth = 1;
    c.strokeRect(g.plot.x, g.plot.y, g.plot.w, g.plot.h);
    for (let i = 0; i <= 4; i++) {
      const xv = v0 + (v1 - v0) * i / 4, yv = w0 + (w1 - w0) * i / 4;
      text(c, (+xv.toFixed(2)).toString(), g.sx(xv), g.plot.y + g.plot.h + 13, "center");
      text(c, (+yv.toFixed(2)).toString(), g.plot.x - 4, g.sy(yv) + 4, "right");
    }
    text(c, f.names[0], g.plot.x + g.plot.w - 2, g.plot.y + g.plot.h - 4, "right", "#555");
    text(c, f.names[1], g.plot.x + 4, g.plot.y + 13, "left", "#555");
    if (f.mode === "overview") {
      c.strokeStyle = "#bbb";
      c.strokeRect(g.xh.x, g.xh.y, g.xh.w, g.xh.h);
      c.strokeRect(g.yh.x, g.yh.y, g.yh.w, g.yh.h);
      const half = (g.diag.h - 30) / 2;
      c.strokeRect(g.diag.x, g.diag.y, g.diag.w, half);
      c.strokeRect(g.diag.x, g.diag.y + half + 30, g.diag.w, half);
    }
  }

  function marker(shape, x, y, colour, r) {
    ctx.save();
    ctx.fillStyle = colour; ctx.strokeStyle = colour; ctx.lineWidth = 2; ctx.setLineDash([]);
    ctx.beginPath();
    if (shape === "disc") { ctx.arc(x, y, r, 0, 2 * Math.PI); ctx.fill(); ctx.strokeStyle = "#fff"; ctx.lineWidth = 1; ctx.stroke(); }
    else if (shape === "ring") { ctx.arc(x, y, r, 0, 2 * Math.PI); ctx.lineWidth = 2.5; ctx.stroke(); }
    else if (shape === "cross") { ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y + r); ctx.moveTo(x - r, y + r); ctx.lineTo(x + r, y - r); ctx.lineWidth = 2.5; ctx.stroke(); }
    else if (shape === "triangle") { ctx.moveTo(x, y - r * 1.2); ctx.lineTo(x + r, y + r * 0.8); ctx.lineTo(x - r, y + r * 0.8); ctx.closePath(); ctx.fill(); ctx.strokeStyle = "#000"; ctx.lineWidth = 1; ctx.stroke(); }
    else if (shape === "square") { ctx.rect(x - r, y - r, 2 * r, 2 * r); ctx.lineWidth = 2; ctx.strokeStyle = "#000"; ctx.stroke(); }
    ctx.restore();
  }

  function segment(a, b, colour, width, dashed) {
    ctx.strokeStyle = colour; ctx.lineWidth = width; ctx.setLineDash(dashed ? [5, 4] : []);
    ctx.beginPath(); ctx.moveTo(box.sx(a[0]), box.sy(a[1])); ctx.lineTo(box.sx(b[0]), box.sy(b[1])); ctx.stroke();
  }

  function arrow(a, b, colour, dashed) {
    segment(a, b, colour, 2, dashed);
    const ax = box.sx(a[0]), ay = box.sy(a[1]), bx = box.sx(b[0]), by = box.sy(b[1]);
    const len = Math.hypot(bx - ax, by - ay);
    if (len < 8) return;
    const ux = (bx - ax) / len, uy = (by - ay) / len, hx = bx - 9 * ux, hy = by - 9 * uy;
    ctx.setLineDash([]); ctx.fillStyle = colour; ctx.beginPath();
    ctx.moveTo(bx - 5 * ux, by - 5 * uy); ctx.lineTo(hx - 4 * uy, hy + 4 * ux); ctx.lineTo(hx + 4 * uy, hy - 4 * ux); ctx.closePath(); ctx.fill();
  }

  function dots(flat, n, colour) {
    ctx.fillStyle = colour; ctx.globalAlpha = 0.45;
    for (let k = 0; k < n; k++) ctx.fillRect(box.sx(flat[2 * k]) - 1.5, box.sy(flat[2 * k + 1]) - 1.5, 3, 3);
    ctx.globalAlpha = 1;
  }

  const previous = (ch, j) => (j === 0 ? ch.start : at2(ch.pos, j - 1));

  // Metropolis: an arrow to the proposal; accepted solid in the chain's colour ending in a
  // disc, rejected dashed grey ending in a cross (shape and colour both differ).
  function metropolis(ch, j, colour, verdict) {
    const from = previous(ch, j), to = at2(ch.prop, j);
    if (!verdict) { arrow(from, to, colour, true); marker("ring", box.sx(to[0]), box.sy(to[1]), colour, 5); return; }
    if (ch.acc[j]) { arrow(from, to, colour, false); marker("disc", box.sx(to[0]), box.sy(to[1]), colour, 5); }
    else { arrow(from, to, REJECT, true); marker("cross", box.sx(to[0]), box.sy(to[1]), REJECT, 5); }
  }

  function gibbs(ch, j, colour, upto) {
    const from = previous(ch, j), mid = at2(ch.mid, j);
    segment(from, mid, colour, 2.5, false);
    marker("disc", box.sx(mid[0]), box.sy(mid[1]), colour, 3);
    if (upto > 0) segment(mid, at2(ch.pos, j), colour, 2.5, false);
  }

  function marks(ch, j, colour) {
    const turn = ch.turn[j];
    if (turn && turn.length) {  // the two ends of the (sub)tree that turned back on itself
      segment([turn[0], turn[1]], [turn[2], turn[3]], "#000", 1.5, true);
      marker("square", box.sx(turn[0]), box.sy(turn[1]), "#000", 4);
      marker("square", box.sx(turn[2]), box.sy(turn[3]), "#000", 4);
    }
    const d = ch.div_at[j];
    if (d && d.length) marker("triangle", box.sx(d[0]), box.sy(d[1]), DIVERGE, 7);
  }

  // A whole trajectory (overview): the time-ordered polyline, then where it ended.
  function trajectory(f, ch, j, colour) {
    const lo = ch.path_at[j], hi = ch.path_at[j + 1];
    ctx.strokeStyle = colour; ctx.lineWidth = 1.5; ctx.setLineDash([]); ctx.beginPath();
    for (let k = lo; k < hi; k++) {
      const x = box.sx(ch.path[2 * k]), y = box.sy(ch.path[2 * k + 1]);
      if (k === lo) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    }
    ctx.stroke();
    ctx.fillStyle = colour;
    for (let k = lo; k < hi; k++) ctx.fillRect(box.sx(ch.path[2 * k]) - 1, box.sy(ch.path[2 * k + 1]) - 1, 2, 2);
    const to = at2(ch.pos, j);
    if (f.sampler === "hmc" && !ch.acc[j]) {
      const end = at2(ch.path, hi - 1);
      marker("cross", box.sx(end[0]), box.sy(end[1]), REJECT, 5);
    } else marker("ring", box.sx(to[0]), box.sy(to[1]), colour, 6);
    marks(ch, j, colour);
  }

  // One leapfrog point after another (detail): each drawn from the point it was stepped
  // from, coloured by its doubling's depth, dashed when integrating backward in time.
  function tree(f, ch, j, shown, verdict) {
    const lo = ch.path_at[j], n = ch.path_at[j + 1] - lo;
    const last = Math.min(shown, n - 1);
    for (let k = 1; k <= last; k++) {
      const a = at2(ch.path, lo + ch.parent[lo + k]), b = at2(ch.path, lo + k);
      const colour = f.sampler === "nuts" ? DEPTH[ch.depth[lo + k] % DEPTH.length] : "#3e4989";
      segment(a, b, colour, 2.5, ch.dir[lo + k] < 0);
    }
    for (let k = 0; k <= last; k++) {
      const p = at2(ch.path, lo + k);
      const colour = k === 0 ? "#000" : (f.sampler === "nuts" ? DEPTH[ch.depth[lo + k] % DEPTH.length] : "#3e4989");
      marker("disc", box.sx(p[0]), box.sy(p[1]), colour, k === last && !verdict ? 6 : 4);
    }
    if (!verdict) return;
    if (f.sampler === "nuts") {
      const p = at2(ch.path, lo + ch.pick[j]);
      marker("ring", box.sx(p[0]), box.sy(p[1]), "#000", 9);
    } else {
      const end = at2(ch.path, lo + n - 1);
      if (ch.acc[j]) marker("ring", box.sx(end[0]), box.sy(end[1]), "#000", 9);
      else marker("cross", box.sx(end[0]), box.sy(end[1]), REJECT, 7);
    }
    marks(ch, j, "#000");
  }

  // Beside the plot: the iteration's doublings so far, each in its colour, then the verdict.
  function doublingList(f, ch, j, last, verdict) {
    const rows = ch.doublings[j];
    ctx.font = "13px sans-serif";
    let y = box.notes.y;
    text(ctx, "Doublings of this tree:", box.notes.x, y, "left");
    for (const [dir, depth, first, count] of rows) {
      if (first > last) break;
      y += 18;
      const shown = Math.min(count, last - first + 1);
      ctx.fillStyle = DEPTH[depth % DEPTH.length];
      ctx.fillRect(box.notes.x, y - 10, 12, 12);
      text(ctx, `depth ${depth}, ${dir > 0 ? "forward →" : "← backward"}: ${shown} of ${2 ** depth} points`, box.notes.x + 18, y, "left");
    }
    if (verdict) {
      const why = f.stop_reasons[ch.stop[j]];
      y += 24;
      text(ctx, why === "u-turn" ? "Stopped: U-turn (squares: the turning tree's ends)" : why === "divergence" ? "Stopped: divergence (▲)" : "Stopped: maximum depth", box.notes.x, y, "left");
      y += 18;
      text(ctx, `Multinomial pick: point ${ch.pick[j]} (ring)`, box.notes.x, y, "left");
    }
  }

  function histograms(f, i) {
    const h = f.hist, k = lastAt(h.at, i);
    if (k < 0) return;
    const counts = h.counts[k], bins = h.bins;
    for (let axis = 0; axis < 2; axis++) {
      let max = 1;
      for (let b = 0; b < bins; b++) max = Math.max(max, counts[axis * bins + b]);
      ctx.fillStyle = "#0072B2"; ctx.globalAlpha = 0.7;
      for (let b = 0; b < bins; b++) {
        const v = counts[axis * bins + b] / max;
        if (axis === 0) {
          const w = box.xh.w / bins;
          ctx.fillRect(box.xh.x + b * w, box.xh.y + box.xh.h * (1 - v), w - 0.5, box.xh.h * v);
        } else {
          const w = box.yh.h / bins;
          ctx.fillRect(box.yh.x, box.yh.y + box.yh.h - (b + 1) * w, box.yh.w * v, w - 0.5);
        }
      }
      ctx.globalAlpha = 1;
    }
  }

  // Running R-hat (with 1.01 dashed) and bulk-ESS (with 400 dashed), a line per coordinate.
  function diagnostics(f, i) {
    const d = f.diag, k = lastAt(d.at, i), n = f.n_frames;
    const half = (box.diag.h - 30) / 2;
    const panels = [
      {name: "R-hat", values: d.rhat, y: box.diag.y, lo: 1, hi: 1.2, ref: 1.01, digits: 3},
      {name: "bulk ESS", values: d.ess, y: box.diag.y + half + 30, lo: 0, hi: 1, ref: 400, digits: 0},
    ];
    for (const v of d.ess) for (const e of v) if (e !== null) panels[1].hi = Math.max(panels[1].hi, e * 1.05);
    for (const v of d.rhat) for (const r of v) if (r !== null) panels[0].hi = Math.max(panels[0].hi, Math.min(r, 2) + 0.02);
    ctx.font = "12px sans-serif";
    for (const p of panels) {
      const sx = (draws) => box.diag.x + draws / n * box.diag.w;
      const sy = (v) => p.y + half - (Math.min(Math.max(v, p.lo), p.hi) - p.lo) / (p.hi - p.lo) * half;
      if (p.ref <= p.hi) {
        segment2(sx(0), sy(p.ref), sx(n), sy(p.ref), "#999", true);
        text(ctx, String(p.ref), box.diag.x + box.diag.w + 3, sy(p.ref) + 4, "left", "#777");
      }
      // R-hat's axis stops at 2: higher values run along its top, dotted, and it says so.
      const capped = p.values.some((v, m) => m <= k && v.some((r) => r !== null && r > p.hi));
      text(ctx, p.hi.toFixed(p.digits ? 2 : 0) + (capped ? "+" : ""), box.diag.x - 3, p.y + 10, "right", "#777");
      if (capped) text(ctx, `dotted: above ${p.hi.toFixed(2)}`, box.diag.x + box.diag.w - 4, p.y + 18, "right", "#777");
      text(ctx, String(p.lo), box.diag.x - 3, p.y + half, "right", "#777");
      text(ctx, `${d.draws[d.draws.length - 1]} draws`, box.diag.x + box.diag.w, p.y + half + 13, "right", "#777");
      const latest = [];
      for (let axis = 0; axis < 2; axis++) {
        ctx.strokeStyle = axis ? "#E69F00" : "#0072B2"; ctx.lineWidth = 2;
        let last = null;  // the previous checkpoint's [x, y, above the axis]
        for (let m = 0; m <= k; m++) {
          const v = p.values[m][axis];
          if (v === null) { last = null; continue; }
          const point = [sx(d.draws[m]), sy(v), v > p.hi];
          if (last !== null) {
            ctx.setLineDash(last[2] || point[2] ? [1, 3] : axis ? [4, 3] : []);
            ctx.beginPath(); ctx.moveTo(last[0], last[1]); ctx.lineTo(point[0], point[1]); ctx.stroke();
          }
          last = point;
        }
        const v = k >= 0 ? p.values[k][axis] : null;
        latest.push(v === null ? "–" : v.toFixed(p.digits));
      }
      ctx.setLineDash([]);
      text(ctx, `${p.name}: ${f.names[0]} ${latest[0]}, ${f.names[1]} ${latest[1]}`, box.diag.x, p.y - 4, "left");
    }
  }

  function segment2(xa, ya, xb, yb, colour, dashed) {
    ctx.strokeStyle = colour; ctx.lineWidth = 1; ctx.setLineDash(dashed ? [4, 4] : []);
    ctx.beginPath(); ctx.moveTo(xa, ya); ctx.lineTo(xb, yb); ctx.stroke(); ctx.setLineDash([]);
  }

  const LEGENDS = {
    metropolis: "Arrow: the proposal. Accepted: solid arrow in the chain's colour ending in a disc. Rejected: dashed grey arrow ending in ✕ (the chain stays).",
    gibbs: "Each sweep draws the first coordinate from its conditional (a horizontal move), then the second (vertical): the chain can only move along the axes.",
    hmc: "Line: the leapfrog trajectory; ring: the accepted end point; grey ✕: a rejected end (the chain stays); orange ▲: a divergence.",
    nuts: "Line: the trajectory; ring: the point the multinomial draw picked; black squares joined by a dashed line: the two ends of the tree (or subtree) whose U-turn stopped it; orange ▲: a divergence.",
  };
  const DETAIL = {
    nuts: " Colours: the doubling that added each point (one colour per depth, listed beside the plot); dashed segments integrate backward in time.",
    hmc: " One frame per leapfrog point from the start (black), then the accept/reject verdict.",
    metropolis: " Two frames per iteration: the proposal, then the verdict.",
    gibbs: " Two frames per sweep: the x update, then the y update.",
  };

  return {
    count: (f) => f.n_frames,
    layout(stage, f, h) {
      canvas = document.createElement("canvas");
      canvas.id = "mcmc-canvas";
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", `${f.sampler} chains moving over the target's density`);
      stage.appendChild(canvas);
      legend = document.createElement("div");
      legend.id = "mcmc-legend";
      legend.style.fontSize = "12px";
      legend.textContent = LEGENDS[f.sampler] + (f.mode === "detail" ? DETAIL[f.sampler] : " Right: the marginal histograms of the draws so far and the running R-hat and bulk ESS (solid: " + f.names[0] + ", dashed: " + f.names[1] + ").");
      stage.appendChild(legend);
      const width = stage.clientWidth || 700, height = Math.max(200, h - 40);
      dpr = window.devicePixelRatio || 1;
      canvas.width = width * dpr; canvas.height = height * dpr;
      canvas.style.width = width + "px"; canvas.style.height = height + "px";
      ctx = canvas.getContext("2d");
      bg = document.createElement("canvas");
      bg.width = canvas.width; bg.height = canvas.height;
      box = geometry(f, width, height);
      background(f);
    },
    draw(stage, f, i) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(bg, 0, 0);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.save();
      ctx.beginPath(); ctx.rect(box.plot.x, box.plot.y, box.plot.w, box.plot.h); ctx.clip();
      if (f.mode === "detail") {
        const ch = f.chains[0], colour = f.colours[0], j = f.iters[i], s = f.subs[i];
        dots(ch.before, ch.before.length / 2, colour);
        dots(ch.pos, j, colour);
        const last = f.iters[i + 1] !== j;  // the iteration's last step: its verdict
        if (f.sampler === "metropolis") metropolis(ch, j, colour, s === 1);
        else if (f.sampler === "gibbs") gibbs(ch, j, colour, s);
        else tree(f, ch, j, s, last);
        const p = last ? at2(ch.pos, j) : previous(ch, j);
        if (f.sampler === "metropolis" || f.sampler === "gibbs" || last) marker("disc", box.sx(p[0]), box.sy(p[1]), colour, 5);
      } else {
        f.chains.forEach((ch, c) => dots(ch.pos, i, f.colours[c]));
        f.chains.forEach((ch, c) => {
          const colour = f.colours[c];
          if (f.sampler === "metropolis") metropolis(ch, i, colour, true);
          else if (f.sampler === "gibbs") gibbs(ch, i, colour, 1);
          else trajectory(f, ch, i, colour);
          const p = at2(ch.pos, i);
          marker("disc", box.sx(p[0]), box.sy(p[1]), colour, 4.5);
        });
      }
      ctx.restore();
      if (f.mode === "overview") { histograms(f, i); diagnostics(f, i); }
      else if (f.sampler === "nuts") {
        const ch = f.chains[0], j = f.iters[i], s = f.subs[i], n = ch.path_at[j + 1] - ch.path_at[j];
        doublingList(f, ch, j, Math.min(s, n - 1), f.iters[i + 1] !== j);
      }
    },
    label(f, i) {
      if (f.mode === "overview") return `Iteration ${i + 1} of ${f.n_frames}, ${f.chains.length} chains`;
      const j = f.iters[i], s = f.subs[i], ch = f.chains[0], it = f.first + j + 1;
      const head = `Chain ${f.chain + 1}, iteration ${it}: `;
      if (f.sampler === "metropolis") return head + (s === 0 ? "propose a point" : (ch.acc[j] ? "accepted" : "rejected, the chain stays"));
      if (f.sampler === "gibbs") return head + (s === 0 ? `${f.names[0]} drawn from its conditional given ${f.names[1]}` : `${f.names[1]} drawn given the new ${f.names[0]}`);
      const n = ch.path_at[j + 1] - ch.path_at[j];
      if (s < n) {
        if (s === 0) return head + "start, with a fresh momentum";
        if (f.sampler === "hmc") return head + `leapfrog step ${s} of ${n - 1}`;
        const k = ch.path_at[j] + s;
        return head + `leapfrog point ${s} of ${n - 1}, doubling of depth ${ch.depth[k]}, ${ch.dir[k] > 0 ? "forward" : "backward"} in time`;
      }
      if (f.sampler === "hmc") return head + (ch.div[j] ? "divergent, rejected" : ch.acc[j] ? "end point accepted" : "end point rejected, the chain stays");
      const why = f.stop_reasons[ch.stop[j]];
      return head + `stopped by ${why === "u-turn" ? "a U-turn" : why === "divergence" ? "a divergence" : "the maximum depth"}; the draw is point ${ch.pick[j]}`;
    },
  };
})());
