"use strict";
// The player: Streamlit's component protocol by hand, the controls, and the clock. What a
// frame looks like is a kind's business (kinds/*.js); every number comes from the page.
//
// A kind registers itself with registerKind(name, {count, layout, draw}):
//   count(frames)              -> the number of frames
//   layout(stage, frames, h)   -> build the drawing in the stage element (h: pixels for it)
//   draw(stage, frames, i)     -> show frame i (called often: update, do not rebuild)
// Optional: label(frames, i) -> the caption over the drawing (default frames.labels[i]).

const KINDS = {};
function registerKind(name, kind) { KINDS[name] = kind; }

const NS = "http://www.w3.org/2000/svg";
function svgNode(tag, attrs, parent) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function send(type, data) {
  window.parent.postMessage(Object.assign({isStreamlitMessage: true, type: type}, data), "*");
}

const player = {kind: null, frames: null, n: 0, index: 0, playing: false, fps: 2, last: 0,
                height: 0, signature: "", stageHeight: 240,
                // What the browser tests read: frames drawn and the times of the animation
                // frames (requestAnimationFrame) while playing, for a measured frame rate.
                stats: {drawn: 0, ticks: []}};
const el = (id) => document.getElementById(id);

function draw() {
  const i = player.index, kind = player.kind;
  kind.draw(el("stage"), player.frames, i);
  player.stats.drawn += 1;
  el("scrubber").value = i;
  el("counter").textContent = `frame ${i} / ${player.n - 1}`;
  const label = kind.label ? kind.label(player.frames, i) : (player.frames.labels || [])[i];
  el("label").textContent = label || "";
  el("play").textContent = player.playing ? "⏸ Pause" : "▶ Play";
  el("play").setAttribute("aria-label", player.playing ? "Pause" : "Play");
}

function show(index) {
  player.index = Math.max(0, Math.min(player.n - 1, index));
  draw();
}

// Advance by the frames due since the last move, so 60 frames/s stays 60 even when the
// browser paints less often; the times are kept for the measured frame rate.
function tick(now) {
  if (!player.playing) return;
  const ticks = player.stats.ticks;
  ticks.push(now);
  if (ticks.length > 2000) ticks.splice(0, ticks.length - 2000);
  const due = Math.floor((now - player.last) * player.fps / 1000);
  if (due >= 1) {
    player.last += due * 1000 / player.fps;
    if (player.index >= player.n - 1) { player.playing = false; draw(); return; }
    show(player.index + due);
  }
  requestAnimationFrame(tick);
}

function layout() {
  const stage = el("stage");
  stage.innerHTML = "";
  player.kind.layout(stage, player.frames, player.stageHeight);
}

function startPlayer() {
  el("play").addEventListener("click", () => {
    if (!player.frames) return;
    player.playing = !player.playing;
    if (player.playing) {
      if (player.index >= player.n - 1) show(0);  // play again from the start
      player.last = performance.now();
      requestAnimationFrame(tick);
    }
    draw();
  });
  const stepBy = (d) => { if (player.frames) { player.playing = false; show(player.index + d); } };
  el("step").addEventListener("click", () => stepBy(1));
  el("back").addEventListener("click", () => stepBy(-1));
  el("speed").addEventListener("change", (e) => { player.fps = Number(e.target.value); player.last = performance.now(); });
  el("scrubber").addEventListener("input", (e) => { if (player.frames) { player.playing = false; show(Number(e.target.value)); } });
  window.addEventListener("resize", () => { if (player.frames) { layout(); draw(); } });

  window.addEventListener("message", (event) => {
    const msg = event.data;
    if (!msg || msg.type !== "streamlit:render") return;
    const args = msg.args, frames = args.frames;
    // Follow the app's theme (light or dark) for text.
    if (msg.theme) {
      document.body.style.color = msg.theme.textColor || "";
      if (msg.theme.font) document.body.style.fontFamily = msg.theme.font;
    }
    const kind = KINDS[args.kind];
    if (!kind) { el("label").textContent = `unknown animation kind ${args.kind}`; return; }
    player.stageHeight = Math.max(120, args.height - 110);
    const signature = args.kind + JSON.stringify(frames);
    // A rerun with the same frames keeps the player where it is; new frames start at 0.
    if (signature !== player.signature) {
      Object.assign(player, {kind: kind, frames: frames, signature: signature, playing: false,
                             n: kind.count(frames)});
      el("scrubber").max = player.n - 1;
      // New frames start at the page's speed (a warm-up of hundreds of frames wants 30/s).
      if (args.speed) { player.fps = Number(args.speed); el("speed").value = String(args.speed); }
      layout();
      show(0);
    }
    const h = document.body.scrollHeight;
    if (h !== player.height) { player.height = h; send("streamlit:setFrameHeight", {height: h}); }
  });
  send("streamlit:componentReady", {apiVersion: 1});
}
