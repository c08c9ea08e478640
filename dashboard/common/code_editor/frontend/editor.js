"use strict";
// A code area with line numbers. Streamlit's component protocol by hand: the page sends
// the initial text (args.value), a label and a height; the editor sends its text back
// (setComponentValue), debounced while typing and at once on blur.

const INDENT = "    ";
//: Milliseconds of quiet typing before the text is sent (each send costs the page a rerun
//: outside a form; inside one it is held until Submit).
const DEBOUNCE_MS = 300;

const editor = {initial: null, sent: null, timer: null, height: 0};
const el = (id) => document.getElementById(id);

function send(type, data) {
  window.parent.postMessage(Object.assign({isStreamlitMessage: true, type: type}, data), "*");
}

// One number per line of the text (a trailing newline starts a line too).
function renumber() {
  const area = el("code"), lines = area.value.split("\n").length;
  const gutter = el("gutter");
  if (gutter.dataset.lines !== String(lines)) {
    gutter.dataset.lines = String(lines);
    gutter.textContent = Array.from({length: lines}, (_, i) => String(i + 1)).join("\n");
  }
  gutter.scrollTop = area.scrollTop;
}

function sendValue() {
  clearTimeout(editor.timer);
  editor.timer = null;
  const value = el("code").value;
  if (value === editor.sent) return;
  editor.sent = value;
  send("streamlit:setComponentValue", {value: value, dataType: "json"});
  markSent();
}

// data-sent="yes" once the page has been sent the text shown (what browser tests wait for).
function markSent() {
  const area = el("code");
  area.dataset.sent = area.value === editor.sent ? "yes" : "no";
}

// Tab indents (the selection's lines when it spans several); Shift+Tab and Esc leave the
// editor, so a keyboard user is never trapped in it.
function onKey(event) {
  const area = el("code");
  if (event.key === "Escape" || (event.key === "Tab" && event.shiftKey)) {
    event.preventDefault();
    area.blur();
    return;
  }
  if (event.key !== "Tab" || event.ctrlKey || event.altKey || event.metaKey) return;
  event.preventDefault();
  const {selectionStart: start, selectionEnd: end, value} = area;
  if (start === end || !value.slice(start, end).includes("\n")) {
    // execCommand keeps the browser's undo history; setRangeText is the fallback.
    if (!document.execCommand("insertText", false, INDENT)) area.setRangeText(INDENT, start, end, "end");
  } else {
    const lineStart = value.lastIndexOf("\n", start - 1) + 1;
    const block = value.slice(lineStart, end).replace(/^/gm, INDENT);
    area.setSelectionRange(lineStart, end);
    if (!document.execCommand("insertText", false, block)) area.setRangeText(block, lineStart, end, "select");
    area.setSelectionRange(lineStart, lineStart + block.length);
  }
  area.dispatchEvent(new Event("input"));
}

function applyTheme(theme) {
  if (!theme) return;
  const root = document.documentElement.style;
  const pairs = {"--text": theme.textColor, "--background": theme.backgroundColor,
                 "--secondary": theme.secondaryBackgroundColor, "--primary": theme.primaryColor,
                 "--font": theme.font};
  for (const [name, colour] of Object.entries(pairs)) if (colour) root.setProperty(name, colour);
}

function startEditor() {
  const area = el("code");
  area.addEventListener("input", () => {
    renumber();
    markSent();
    clearTimeout(editor.timer);
    editor.timer = setTimeout(sendValue, DEBOUNCE_MS);
  });
  area.addEventListener("scroll", renumber);
  area.addEventListener("blur", sendValue);
  // Clicking the page's Submit moves the focus out of this frame: send then. The page
  // takes the text a moment later; a person's click (press to release) outlasts that,
  // an automated one may not, so browser tests wait for data-sent="yes" first.
  window.addEventListener("blur", sendValue);
  area.addEventListener("keydown", onKey);

  window.addEventListener("message", (event) => {
    const msg = event.data;
    if (!msg || msg.type !== "streamlit:render") return;
    const args = msg.args;
    applyTheme(msg.theme);
    el("label").textContent = args.label || "";
    area.setAttribute("aria-label", args.label || "Code");
    // Reruns resend the same initial text: keep what the student typed. A new initial text
    // (another exercise in the same slot) replaces it.
    if (args.value !== editor.initial) {
      editor.initial = args.value;
      editor.sent = args.value;
      area.value = args.value;
      renumber();
      markSent();
    }
    area.style.height = `${args.height}px`;
    el("gutter").style.height = `${args.height}px`;
    const h = document.body.scrollHeight;
    if (h !== editor.height) { editor.height = h; send("streamlit:setFrameHeight", {height: h}); }
  });
  send("streamlit:componentReady", {apiVersion: 1});
}
