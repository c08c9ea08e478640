"use strict";
// Kind "tokens": a language model's generation, one step per frame. Frame k shows the prompt
// and the first k drawn tokens (the newest highlighted), and the distribution token k was
// drawn from (frame 0: the first step's, before its draw): the likeliest tokens as bars at
// T = 1, after the temperature and after top-k/top-p (what is drawn from), the kept set
// ticked, the drawn one marked, and under them core's inverse CDF: each shown token's share
// of the cumulative sums (in token-id order) and the uniform u that fell in the drawn one's.
// Frame keys (one entry per step): shown, p_model, p_tempered, p_final, kept, cdf_low,
// drawn, u, p_drawn, surprisal, entropy, perplexity, n_kept; plus tokens, labels, prompt, unit.
registerKind("tokens", (() => {
  const COLOURS = {model: "#999999", tempered: "#56B4E9", final: "#0072B2", drawn: "#E69F00"};
  const STAGES = [["p_model", "model (T = 1)", COLOURS.model], ["p_tempered", "after temperature", COLOURS.tempered],
                  ["p_final", "sampled from (after top-k, top-p)", COLOURS.final]];
  let rows = [], strip = null, scale = null, barLeft = 0;
  const TEXT_PX = 118;  // #text (4.5 lines) and #step-stats (2 lines) in player.css
  const MAX_NAME = 18;  // characters of a token shown; longer ones end in …

  function textLine(stage) {
    const line = document.createElement("div");
    line.id = "text";
    const prompt = document.createElement("span");
    prompt.id = "prompt";
    const tokens = document.createElement("span");
    tokens.id = "tokens";
    line.append(prompt, tokens);
    stage.appendChild(line);
    const stats = document.createElement("div");
    stats.id = "step-stats";
    stats.setAttribute("data-testid", "step-stats");
    stage.appendChild(stats);
  }

  return {
    count: (f) => f.tokens.length + 1,
    label: (f, i) => f.labels[i],
    // The scale is fixed over all frames, so a peaked step is seen to be peaked.
    layout(stage, f, h) {
      textLine(stage);
      stage.querySelector("#prompt").textContent = f.prompt;
      const nRows = Math.max(...f.shown.map((s) => s.length));
      const width = stage.clientWidth || 600;
      // The text and the numbers above keep a fixed height (see player.css), so the
      // player's height does not change from frame to frame.
      const m = {left: 180, right: 160, top: 18}, stripHeight = 44, above = TEXT_PX;
      const rowH = Math.max(12, Math.min(26, (h - above - m.top - stripHeight - 8) / nRows));
      const height = m.top + nRows * rowH + stripHeight + 8;
      const svg = svgNode("svg", {id: "bars", width: "100%", height: height, role: "img",
                                  "aria-label": "next-token distribution"}, stage);
      let pmax = 0;
      for (const key of ["p_model", "p_tempered", "p_final"]) for (const s of f[key]) for (const v of s) pmax = Math.max(pmax, v);
      pmax = pmax > 0 ? pmax : 1;
      const plotW = width - m.left - m.right;
      scale = (p) => p / pmax * plotW;
      barLeft = m.left;
      // Legend across the top.
      let lx = m.left;
      for (const [, name, colour] of STAGES) {
        svgNode("rect", {x: lx, y: 4, width: 10, height: 10, fill: colour}, svg);
        const t = svgNode("text", {x: lx + 14, y: 13}, svg);
        t.textContent = name;
        lx += 24 + name.length * 6.2;
      }
      rows = [];
      for (let r = 0; r < nRows; r++) {
        const y = m.top + r * rowH, g = svgNode("g", {class: "row"}, svg);
        const band = svgNode("rect", {x: 0, y: y, width: width, height: rowH, fill: COLOURS.drawn, opacity: 0}, g);
        const kept = svgNode("text", {x: 6, y: y + rowH * 0.7, class: "kept"}, g);
        const name = svgNode("text", {x: m.left - 6, y: y + rowH * 0.7, "text-anchor": "end", class: "token"}, g);
        const bars = STAGES.map(([, , colour], k) =>
          svgNode("rect", {x: m.left, y: y + 2 + k * (rowH - 4) / 3, height: Math.max(1, (rowH - 4) / 3 - 1), fill: colour}, g));
        const value = svgNode("text", {x: m.left + 4, y: y + rowH * 0.7, class: "value"}, g);
        rows.push({g, band, kept, name, bars, value});
      }
      const sy = m.top + nRows * rowH + 10, x0 = m.left, w = plotW;
      const sg = svgNode("g", {class: "cdf"}, svg);
      const title = svgNode("text", {x: x0 - 6, y: sy + 14, "text-anchor": "end"}, sg);
      title.textContent = "inverse CDF";
      svgNode("rect", {x: x0, y: sy, width: w, height: 20, fill: "#eeeeee", stroke: "#888"}, sg);
      const segs = Array.from({length: nRows}, () => svgNode("rect", {x: x0, y: sy, width: 0, height: 20}, sg));
      const uLine = svgNode("line", {x1: x0, x2: x0, y1: sy - 4, y2: sy + 24, stroke: "#000", "stroke-width": 2}, sg);
      const uText = svgNode("text", {x: x0, y: sy + 36, "text-anchor": "middle", class: "u"}, sg);
      const note = svgNode("text", {x: x0 + w + 6, y: sy + 14}, sg);
      note.textContent = "grey: the other tokens";
      for (const v of [0, 1]) {
        const t = svgNode("text", {x: x0 + v * w, y: sy + 36, "text-anchor": "middle"}, sg);
        t.textContent = v;
      }
      strip = {x0, w, segs, uLine, uText};
    },
    draw(stage, f, i) {
      const s = Math.max(0, i - 1), drawn = i > 0 ? f.drawn[s] : -1;
      const tokens = stage.querySelector("#tokens");
      tokens.innerHTML = "";
      f.tokens.slice(0, i).forEach((t, k) => {
        const span = document.createElement("span");
        span.textContent = t;
        if (k === i - 1) span.className = "latest";
        tokens.appendChild(span);
      });
      const line = stage.querySelector("#text");
      line.scrollTop = line.scrollHeight;  // a long text keeps its newest token in view
      const shown = f.shown[s];
      rows.forEach((row, r) => {
        const on = r < shown.length;
        row.g.setAttribute("visibility", on ? "visible" : "hidden");
        if (!on) return;
        const kept = f.kept[s][r];
        row.band.setAttribute("opacity", r === drawn ? 0.3 : 0);
        row.kept.textContent = kept ? "✓ kept" : "✗ cut";
        row.kept.setAttribute("opacity", kept ? 1 : 0.5);
        row.name.textContent = shown[r].length > MAX_NAME ? shown[r].slice(0, MAX_NAME - 1) + "…" : shown[r];
        row.name.setAttribute("opacity", kept ? 1 : 0.5);
        let end = 0;
        STAGES.forEach(([key], k) => {
          const wpx = scale(f[key][s][r]);
          row.bars[k].setAttribute("width", wpx);
          end = Math.max(end, wpx);
        });
        row.bars[1].setAttribute("opacity", kept ? 1 : 0.35);
        row.value.setAttribute("x", barLeft + 4 + end);
        row.value.textContent = f.p_final[s][r].toFixed(4) + (r === drawn ? "  ◀ drawn" : "");
      });
      strip.segs.forEach((seg, r) => {
        const on = r < shown.length && f.kept[s][r];
        seg.setAttribute("visibility", on ? "visible" : "hidden");
        if (!on) return;
        seg.setAttribute("x", strip.x0 + f.cdf_low[s][r] * strip.w);
        seg.setAttribute("width", Math.max(0.5, f.p_final[s][r] * strip.w));
        seg.setAttribute("fill", r === drawn ? COLOURS.drawn : COLOURS.final);
      });
      const ux = strip.x0 + f.u[s] * strip.w;
      strip.uLine.setAttribute("visibility", i > 0 ? "visible" : "hidden");
      strip.uText.setAttribute("visibility", i > 0 ? "visible" : "hidden");
      for (const a of ["x1", "x2"]) strip.uLine.setAttribute(a, ux);
      strip.uText.setAttribute("x", ux);
      strip.uText.textContent = `u = ${f.u[s].toFixed(4)}`;
      const unit = f.unit;
      const parts = [`entropy ${f.entropy[s].toFixed(3)} ${unit}`, `${f.n_kept[s].toLocaleString()} tokens kept`];
      if (i > 0) {
        parts.unshift(`drew “${f.tokens[s]}”: p = ${f.p_drawn[s].toFixed(4)}, surprisal ${f.surprisal[s].toFixed(3)} ${unit}`);
        parts.push(`perplexity of the ${i} token${i > 1 ? "s" : ""} so far ${f.perplexity[s].toFixed(2)}`);
      }
      stage.querySelector("#step-stats").textContent = parts.join(" · ");
    },
  };
})());
