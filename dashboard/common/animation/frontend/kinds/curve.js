"use strict";
// Kind "curve": one curve per frame over a shared x grid (frames.x, frames.y[i]), the first
// frame dashed behind as the start, and frames.tokens[0..i) in a row under the plot.
registerKind("curve", (() => {
  let path, pathOf;
  return {
    count: (f) => f.y.length,
    // The scales are fixed over all frames, so a curve growing taller is seen to grow.
    layout(stage, f, h) {
      const svg = svgNode("svg", {id: "plot", width: "100%", height: h, role: "img", "aria-label": "animated curve"}, stage);
      const tokens = document.createElement("div");
      tokens.id = "tokens";
      stage.appendChild(tokens);
      const width = svg.clientWidth || 600, height = h;
      const m = {left: 48, right: 12, top: 8, bottom: 36};
      let ymax = 0;
      for (const curve of f.y) for (const v of curve) if (v > ymax) ymax = v;
      ymax = ymax > 0 ? ymax * 1.05 : 1;
      const x0 = f.x[0], x1 = f.x[f.x.length - 1] === x0 ? x0 + 1 : f.x[f.x.length - 1];
      const sx = (x) => m.left + (x - x0) / (x1 - x0) * (width - m.left - m.right);
      const sy = (y) => height - m.bottom - y / ymax * (height - m.top - m.bottom);
      const axis = svgNode("g", {class: "axis"}, svg);
      svgNode("line", {x1: m.left, x2: width - m.right, y1: sy(0), y2: sy(0)}, axis);
      svgNode("line", {x1: m.left, x2: m.left, y1: sy(0), y2: m.top}, axis);
      for (let i = 0; i <= 5; i++) {
        const xv = x0 + (x1 - x0) * i / 5, yv = ymax * i / 5;
        svgNode("text", {x: sx(xv), y: sy(0) + 14, "text-anchor": "middle"}, axis).textContent = +xv.toFixed(2);
        svgNode("text", {x: m.left - 4, y: sy(yv) + 4, "text-anchor": "end"}, axis).textContent = yv.toFixed(ymax < 2 ? 2 : ymax < 20 ? 1 : 0);
      }
      svgNode("text", {x: (m.left + width - m.right) / 2, y: height - 4, "text-anchor": "middle"}, axis).textContent = f.x_title || "";
      svgNode("text", {x: 12, y: (height - m.bottom) / 2, transform: `rotate(-90 12 ${(height - m.bottom) / 2})`,
                       "text-anchor": "middle"}, axis).textContent = f.y_title || "";
      pathOf = (curve) => curve.map((y, i) => (i ? "L" : "M") + sx(f.x[i]).toFixed(1) + "," + sy(y).toFixed(1)).join("");
      svgNode("path", {fill: "none", stroke: "#999", "stroke-width": 1.5, "stroke-dasharray": "4 3", d: pathOf(f.y[0])}, svg);
      path = svgNode("path", {fill: "none", stroke: "#0072b2", "stroke-width": 2.5}, svg);
    },
    draw(stage, f, i) {
      path.setAttribute("d", pathOf(f.y[i]));
      const tokens = stage.querySelector("#tokens");
      tokens.innerHTML = "";
      (f.tokens || []).slice(0, i).forEach((t, k) => {
        const span = document.createElement("span");
        span.textContent = t;
        if (k === i - 1) span.className = "latest";
        tokens.appendChild(span);
      });
    },
  };
})());
