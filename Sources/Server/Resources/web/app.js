// Memoir workspace: plain JavaScript, no build step. Every value from the server or the LLM is written
// with textContent (never innerHTML), and the API token, when the URL carries one in its #fragment, is
// kept in sessionStorage and sent as a Bearer header.
"use strict";

const token = (() => {
  const match = location.hash.match(/token=([^&]+)/);
  if (match) {
    sessionStorage.setItem("memoir-token", decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
  return sessionStorage.getItem("memoir-token");
})();

const PLANES = ["axial", "coronal", "sagittal"];
const MODALITIES = ["t1", "fa"];
const SCALE = 3;
const state = { caseID: null, volumes: {}, index: {}, windows: {}, convention: "radiological", context: [], neighbourToken: 0, sliceToken: 0 };
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v; else if (k === "text") node.textContent = v; else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child);
  return node;
}

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  if (token) headers["Authorization"] = "Bearer " + token;
  const response = await fetch(path, Object.assign({}, options, { headers }));
  if (!response.ok) {
    let message = response.status + " " + response.statusText;
    try { message = (await response.json()).error || message; } catch (_) {}
    throw new Error(message);
  }
  return response;
}
const getJSON = async (path) => (await api(path)).json();

function fmt(value, digits = 1) {
  if (value === null || value === undefined) return "–";
  return typeof value === "number" ? value.toFixed(digits).replace(/\.0+$/, "") : String(value);
}

// ---------- case picker ----------
let searchTimer = null;
async function loadCases() {
  const params = new URLSearchParams({ limit: "500" });
  for (const id of ["search", "split", "diagnosis"]) if ($(id).value) params.set(id, $(id).value);
  try {
    const page = await getJSON("/api/cases?" + params);
    $("case-count").textContent = page.total + " case" + (page.total === 1 ? "" : "s");
    const list = $("cases");
    list.replaceChildren();
    for (const c of page.cases) {
      const item = el("li", { "data-id": c.id }, el("span", { text: c.id }), el("span", { class: "tag dx-" + c.diagnosis, text: c.diagnosis }));
      if (c.id === state.caseID) item.classList.add("active");
      item.addEventListener("click", () => selectCase(c.id));
      list.append(item);
    }
  } catch (error) { $("case-count").textContent = "Cannot list cases: " + error.message; }
}

async function selectCase(id) {
  state.caseID = id;
  for (const li of document.querySelectorAll("#cases li")) li.classList.toggle("active", li.dataset.id === id);
  $("empty").hidden = true;
  $("case").hidden = false;
  $("answer").hidden = true;
  const c = await getJSON("/api/cases/" + encodeURIComponent(id));
  $("case-title").textContent = c.id;
  $("case-split").textContent = c.split + " split";
  $("case-diagnosis").textContent = "recorded " + c.diagnosis;
  $("case-diagnosis").className = "tag dx-" + c.diagnosis;
  const rows = [["Age", fmt(c.age)], ["Sex", c.sex || "–"], ["Education", fmt(c.education) + " y"], ["MMSE", fmt(c.mmse)],
    ["CDR-SB", fmt(c.cdrsb)], ["ADAS-11", fmt(c.adas11, 2)], ["ADAS-13", fmt(c.adas13, 2)], ["MoCA", fmt(c.moca)],
    ["APOE", c.apoe ? c.apoe + " (" + c.apoe_e4_count + "× ε4)" : "–"],
    ["Brain parenchymal fraction", fmt(c.brain_parenchymal_fraction, 3)], ["White-matter FA", fmt(c.white_matter_fa, 3)],
    ["Images", [c.t1 ? "T1" : null, c.fa ? "FA" : null].filter(Boolean).join(" + ") || "none"]];
  $("clinical").replaceChildren(...rows.map(([k, v]) => el("tr", {}, el("td", { text: k }), el("td", { text: v }))));
  $("caption").textContent = c.caption;
  loadPrediction(id);
  loadViewer(id, c);
  loadNeighbours(id);
  loadHistory(id);
}

async function loadPrediction(id) {
  const box = $("prediction");
  box.textContent = "Running the encoder…";
  try {
    const p = await getJSON("/api/cases/" + encodeURIComponent(id) + "/prediction");
    if (state.caseID !== id) return;
    box.replaceChildren(el("p", { class: "small muted", text: "from " + p.used.join("+") + (p.missing.length ? " (lacks " + p.missing.join(", ") + ")" : "") }));
    for (const dx of ["CN", "MCI", "Dementia"]) {
      const prob = p.diagnosisProbabilities[dx] || 0;
      const fill = el("div", { class: "fill" }); fill.style.width = (100 * prob).toFixed(1) + "%";
      box.append(el("div", { class: "bar" }, el("span", { text: dx }), el("div", { class: "track" }, fill), el("span", { text: (100 * prob).toFixed(1) + "%" })));
    }
    box.append(el("p", { text: "Predicted " + p.diagnosis + " · P(Dementia vs CN) " + (100 * p.cnVsDementiaProbability).toFixed(1) + "% · age " + fmt(p.age) + " · CDR-SB " + fmt(p.cdrsb, 2) }));
  } catch (error) { box.replaceChildren(el("span", { class: "error", text: error.message })); }
}

// ---------- viewer ----------
async function loadViewer(id, c) {
  const viewer = $("viewer");
  viewer.replaceChildren();
  state.volumes = {};
  state.index = {};
  for (const modality of MODALITIES) {
    const present = modality === "t1" ? c.t1 : c.fa;
    let info = null;
    if (present) {
      try { info = await getJSON(`/api/cases/${encodeURIComponent(id)}/volumes/${modality}?convention=${state.convention}`); } catch (_) { info = null; }
    }
    if (state.caseID !== id) return;
    state.volumes[modality] = info;
    state.windows[modality] = info ? { low: info.window.low, high: info.window.high } : null;
    if (info && !state.index.axial) for (const plane of PLANES) state.index[plane] = Math.floor(info.counts[plane] / 2);
    for (const plane of PLANES) viewer.append(makeView(modality, plane, info));
    if (info) $("convention").textContent = "(" + (info.convention === "radiological"
      ? "radiological convention: the patient's right is on the viewer's left" : "neurological convention: the patient's right is on the viewer's right") + "; click to move the crosshair, scroll to page)";
  }
  showWindowControls();
  drawAll();
}

// Intensity window per modality: starts at the volume's automatic window; edits redraw every plane.
function showWindowControls() {
  const box = $("windows");
  box.replaceChildren();
  for (const modality of MODALITIES) {
    const info = state.volumes[modality], w = state.windows[modality];
    if (!info || !w) continue;
    const step = Math.max((info.window.high - info.window.low) / 100, 1e-4);
    const low = el("input", { type: "number", step: String(step), value: fmt(w.low, 3), "aria-label": modality.toUpperCase() + " window low" });
    const high = el("input", { type: "number", step: String(step), value: fmt(w.high, 3), "aria-label": modality.toUpperCase() + " window high" });
    const apply = () => {
      const l = Number(low.value), h = Number(high.value);
      if (Number.isFinite(l) && Number.isFinite(h) && l < h) { state.windows[modality] = { low: l, high: h }; drawAll(); }
    };
    low.addEventListener("change", apply); high.addEventListener("change", apply);
    const reset = el("button", { type: "button", text: "auto" });
    reset.addEventListener("click", () => { low.value = fmt(info.window.low, 3); high.value = fmt(info.window.high, 3); apply(); });
    box.append(el("label", { class: "window" }, el("span", { text: modality.toUpperCase() + " window " }), low, el("span", { text: "–" }), high, reset));
  }
}

function makeView(modality, plane, info) {
  const outer = el("div", { class: "view-wrap", id: `view-${modality}-${plane}` });
  const wrap = el("div", { class: "view" });
  outer.append(wrap);
  if (!info) { wrap.append(el("div", { class: "missing", text: "no " + modality.toUpperCase() + " image" })); return outer; }
  const o = info.orientation[plane];
  const [w, h] = planeSize(info, plane);
  const canvas = el("canvas", { width: w * SCALE, height: h * SCALE, "data-plane": plane, "data-modality": modality });
  wrap.append(canvas, el("span", { class: "title", text: modality.toUpperCase() + " " + plane }),
    el("span", { class: "label l", text: o.left }), el("span", { class: "label r", text: o.right }),
    el("span", { class: "label t", text: o.top }), el("span", { class: "label b", text: o.bottom }));
  const slider = el("input", { type: "range", min: 0, max: info.counts[plane] - 1, value: state.index[plane] ?? 0, "data-plane": plane,
    "aria-label": modality.toUpperCase() + " " + plane + " slice" });
  slider.addEventListener("input", () => { state.index[plane] = Number(slider.value); drawAll(); });
  outer.append(slider);
  canvas.addEventListener("click", (event) => {
    const rect = canvas.getBoundingClientRect();
    const col = Math.floor((event.clientX - rect.left) / rect.width * w), row = Math.floor((event.clientY - rect.top) / rect.height * h);
    setIndex(info, o.horizontal, col, w);
    setIndex(info, o.vertical, row, h);
    drawAll();
  });
  canvas.addEventListener("wheel", (event) => {
    event.preventDefault();
    state.index[plane] = Math.max(0, Math.min(info.counts[plane] - 1, (state.index[plane] ?? 0) + (event.deltaY > 0 ? -1 : 1)));
    drawAll();
  }, { passive: false });
  return outer;
}

function planeSize(info, plane) {
  const o = info.orientation[plane];
  return [info.counts[o.horizontal.plane], info.counts[o.vertical.plane]];
}
function setIndex(info, axis, position, size) {
  state.index[axis.plane] = Math.max(0, Math.min(info.counts[axis.plane] - 1, axis.reversed ? size - 1 - position : position));
}
function screenPosition(axis, size) { const i = state.index[axis.plane] ?? 0; return axis.reversed ? size - 1 - i : i; }

let drawTimer = null;
function drawAll() { clearTimeout(drawTimer); drawTimer = setTimeout(drawNow, 30); }
function drawNow() {
  const token = ++state.sliceToken;
  for (const slider of document.querySelectorAll(".view-wrap input[type=range]")) slider.value = state.index[slider.dataset.plane] ?? 0;
  for (const canvas of document.querySelectorAll(".view canvas")) drawSlice(canvas, token);
}

async function fetchBitmap(url) {
  const blob = await (await api(url)).blob();
  return createImageBitmap(blob);
}

async function drawSlice(canvas, token) {
  const { plane, modality } = canvas.dataset;
  const info = state.volumes[modality];
  if (!info) return;
  const w = state.windows[modality];
  const params = new URLSearchParams({ index: String(state.index[plane] ?? 0), convention: state.convention });
  if (w) { params.set("low", String(w.low)); params.set("high", String(w.high)); }
  const url = `/api/cases/${encodeURIComponent(state.caseID)}/volumes/${modality}/${plane}?` + params;
  try {
    const bitmap = await fetchBitmap(url);
    if (token !== state.sliceToken) return;
    const ctx = canvas.getContext("2d");
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const o = info.orientation[plane];
    const [w, h] = planeSize(info, plane);
    const x = (screenPosition(o.horizontal, w) + 0.5) * SCALE, y = (screenPosition(o.vertical, h) + 0.5) * SCALE;
    ctx.strokeStyle = "rgba(0, 230, 118, 0.7)";
    ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(x, 0); ctx.lineTo(x, canvas.height); ctx.moveTo(0, y); ctx.lineTo(canvas.width, y); ctx.stroke();
    canvas.dataset.drawn = "1";
  } catch (error) { canvas.title = error.message; }
}

// ---------- neighbours ----------
async function loadNeighbours(id) {
  const box = $("neighbours");
  const mine = ++state.neighbourToken;
  box.replaceChildren(el("span", { class: "muted", text: "Retrieving…" }));
  try {
    const question = $("question").value.trim();
    const result = await getJSON(`/api/cases/${encodeURIComponent(id)}/neighbours?` + new URLSearchParams(question ? { question } : {}));
    if (mine !== state.neighbourToken) return;
    box.replaceChildren();
    for (const [rank, n] of result.context.entries()) {
      const t1 = el("canvas", { width: 91, height: 109 }), fa = el("canvas", { width: 91, height: 109 });
      const idLink = el("span", { class: "id", text: n.subject_id });
      idLink.addEventListener("click", () => selectCase(n.subject_id));
      box.append(el("div", { class: "neighbour", "data-id": n.subject_id },
        el("div", { class: "thumbs" }, t1, fa),
        el("div", {}, el("span", { text: "#" + (rank + 1) + " " }), idLink),
        el("div", {}, el("span", { class: "tag dx-" + n.diagnosis, text: n.diagnosis })),
        el("div", { class: "muted", text: "cosine " + fmt(n.similarity, 3) + (n.rerank_score != null ? " · rerank " + fmt(n.rerank_score, 2) : "") })));
      thumb(t1, n.subject_id, "t1");
      thumb(fa, n.subject_id, "fa");
    }
    if (!result.context.length) box.append(el("span", { class: "muted", text: "No neighbours in the index." }));
  } catch (error) { box.replaceChildren(el("span", { class: "error", text: error.message })); }
}

async function thumb(canvas, id, modality) {
  try {
    const bitmap = await fetchBitmap(`/api/cases/${encodeURIComponent(id)}/volumes/${modality}/axial?convention=${state.convention}`);
    canvas.width = bitmap.width; canvas.height = bitmap.height;
    canvas.getContext("2d").drawImage(bitmap, 0, 0);
  } catch (_) {
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#9aa"; ctx.font = "11px sans-serif"; ctx.fillText("no " + modality.toUpperCase(), 28, 58);
  }
}

// ---------- asking ----------
async function ask(event) {
  event.preventDefault();
  const question = $("question").value.trim();
  if (!state.caseID || !question) return;
  const caseID = state.caseID;
  $("ask-button").disabled = true;
  $("answer").hidden = false;
  $("stream").textContent = "";
  $("answer-result").replaceChildren();
  $("verdict").hidden = true;
  setStatus("waiting for the LLM…", "");
  try {
    const response = await api("/api/ask", { method: "POST", headers: { "Content-Type": "application/json", "Accept": "text/event-stream" },
      body: JSON.stringify({ case_id: caseID, question, stream: true }) });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        handleEvent(buffer.slice(0, cut));
        buffer = buffer.slice(cut + 2);
      }
    }
  } catch (error) {
    setStatus("failed", "dx-Dementia");
    $("answer-result").replaceChildren(el("p", { class: "error", text: error.message }));
  } finally {
    $("ask-button").disabled = false;
    if (state.caseID === caseID) loadHistory(caseID);
  }
}

function handleEvent(block) {
  let name = "message", data = "";
  for (const line of block.split("\n")) {
    if (line.startsWith("event: ")) name = line.slice(7);
    else if (line.startsWith("data: ")) data += (data ? "\n" : "") + line.slice(6);
  }
  let payload;
  try { payload = JSON.parse(data); } catch (_) { return; }
  if (name === "token") {
    setStatus("streaming…", "");
    const box = $("stream");
    box.textContent += payload.text;
    box.scrollTop = box.scrollHeight;
  } else if (name === "result") {
    const grounded = payload.verdict && payload.verdict.status === "grounded";
    setStatus((grounded ? "answered" : "UNVERIFIED") + (payload.diagnosis ? ": " + payload.diagnosis : ""),
      grounded && payload.diagnosis ? "dx-" + payload.diagnosis : "verdict-other");
    showResult(payload);
  } else if (name === "error") {
    setStatus("failed (" + payload.status + ")", "dx-Dementia");
    $("answer-result").replaceChildren(el("p", { class: "error", text: payload.error }));
  }
}

function setStatus(text, cls) { $("answer-status").textContent = text; $("answer-status").className = "tag " + cls; }

function showResult(r) {
  const out = $("answer-result");
  const grounded = r.verdict && r.verdict.status === "grounded";
  // An answer the verifier did not pass is never shown as a plain answer.
  const title = grounded ? "Answer (verified against the evidence)" : "UNVERIFIED answer — do not rely on it";
  out.replaceChildren(el("div", { class: "result-block" + (grounded ? "" : " unverified") }, el("h4", { text: title }), el("p", { text: r.answer })));
  if ((r.findings || []).length) {
    const list = el("ul", {});
    for (const f of r.findings) list.append(el("li", {}, sourceLink(f.source, r), document.createTextNode(" " + f.finding)));
    out.append(el("div", { class: "result-block" }, el("h4", { text: "Findings and what each rests on" }), list));
  }
  if (r.evidence_answer) out.append(el("div", { class: "result-block" }, el("h4", { text: "Memoir's own reading of the evidence (no LLM)" }), el("p", { text: r.evidence_answer })));
  out.append(el("p", { class: "small muted", text: "Cited: " + ((r.cited_subject_ids || []).join(", ") || "none") +
    " · context " + (r.context || []).map((c) => c.subject_id).join(", ") + " · model " + (r.model || "?") +
    " · " + fmt(r.timings && r.timings.total, 1) + " s" + (r.ask_id != null ? " · ask #" + r.ask_id : "") }));
  if (r.verdict !== undefined && r.verdict !== null) {
    const label = r.verdict.status + ((r.verdict.issues || []).length ? " — " + r.verdict.issues.join("; ") : "");
    $("verdict").textContent = "verdict: " + label;
    $("verdict").className = "tag " + (/^grounded/i.test(label) ? "verdict-grounded" : "verdict-other");
    $("verdict").hidden = false;
    if (typeof r.verdict === "object") out.append(block("Verdict", r.verdict));
  }
  if (r.evidence !== undefined && r.evidence !== null) out.append(block("Evidence (what Memoir computed)", r.evidence));
}

// A finding's source as a link: "case" goes to this case's values, a neighbour's id to its card (and from
// there to the neighbour itself); anything else stays a plain tag.
function sourceLink(source, r) {
  const ids = (r.context || []).map((c) => c.subject_id);
  const named = String(source || "");
  const target = /^(the )?case$/i.test(named.trim()) ? "case" : ids.find((id) => named.includes(id));
  if (!target) return el("span", { class: "tag", text: named });
  const link = el("a", { class: "tag source", href: "#", text: named, title: target === "case" ? "this case's clinical values" : "neighbour " + target });
  link.addEventListener("click", (event) => {
    event.preventDefault();
    const node = target === "case" ? $("clinical") : document.querySelector(`.neighbour[data-id="${CSS.escape(target)}"]`);
    if (!node) return;
    node.scrollIntoView({ behavior: "smooth", block: "center" });
    node.classList.add("flash");
    setTimeout(() => node.classList.remove("flash"), 1500);
  });
  return link;
}

// A JSON value as nested definition lists, text only.
function block(title, value) {
  return el("div", { class: "result-block" }, el("h4", { text: title }), render(value));
}
function render(value) {
  if (value === null || typeof value !== "object") return document.createTextNode(typeof value === "number" ? fmt(value, 3) : String(value));
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== "object")) return document.createTextNode(value.map((v) => typeof v === "number" ? fmt(v, 3) : String(v)).join(", "));
    return el("ol", {}, ...value.map((v) => el("li", {}, render(v))));
  }
  const list = el("dl", { class: "kv" });
  for (const [k, v] of Object.entries(value)) list.append(el("dt", { text: k }), el("dd", {}, render(v)));
  return list;
}

async function loadHistory(id) {
  const list = $("history");
  try {
    const log = await getJSON("/api/asks?" + new URLSearchParams({ case_id: id, limit: "20" }));
    if (state.caseID !== id) return;
    list.replaceChildren(...log.asks.map((a) => el("li", {},
      el("span", { class: "muted", text: a.created_at + " · " }),
      el("span", { class: "tag " + (a.status === "answered" ? "dx-" + a.diagnosis : "dx-Dementia"), text: a.status + (a.diagnosis ? " " + a.diagnosis : "") }),
      el("div", { text: "Q: " + a.question }),
      el("div", { class: a.error ? "error" : "muted", text: a.error ? a.error : (a.answer || "") }))));
    if (!log.asks.length) list.replaceChildren(el("li", { class: "muted", text: "No questions asked about this case yet." }));
  } catch (error) { list.replaceChildren(el("li", { class: "error", text: error.message })); }
}

async function loadHealth() {
  try {
    const h = await getJSON("/health");
    $("health").textContent = h.cases + " cases · LLM " + (h.llm_configured ? "configured" : "not configured") + " · queue " + h.ask_queue_depth;
  } catch (error) { $("health").textContent = "server unreachable"; }
}

// ---------- retrieval by description ----------
async function describe(event) {
  event.preventDefault();
  const text = $("describe").value.trim();
  const list = $("described");
  if (!text) return;
  list.replaceChildren(el("li", { class: "muted", text: "Retrieving…" }));
  try {
    const result = await (await api("/api/retrieve", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text, k: 10 }) })).json();
    list.replaceChildren(...result.neighbours.map((n) => {
      const item = el("li", { "data-id": n.subject_id }, el("span", { text: n.subject_id + " " }), el("span", { class: "tag dx-" + n.diagnosis, text: n.diagnosis }),
        el("span", { class: "muted", text: " cosine " + fmt(n.similarity, 3) }));
      item.addEventListener("click", () => selectCase(n.subject_id));
      return item;
    }));
  } catch (error) { list.replaceChildren(el("li", { class: "error", text: error.message })); }
}

// ---------- evaluation runs ----------
function showTab(name) {
  const evaluations = name === "evaluations";
  $("tab-cases").classList.toggle("active", !evaluations);
  $("tab-evaluations").classList.toggle("active", evaluations);
  $("picker").hidden = evaluations;
  $("workspace").hidden = evaluations;
  $("evaluations").hidden = !evaluations;
  if (evaluations) loadRuns();
}

async function loadRuns() {
  const table = $("runs");
  try {
    const { runs } = await getJSON("/api/evaluations");
    $("runs-empty").hidden = runs.length > 0;
    const setting = (run, name) => (run.settings.find((s) => s.name === name) || {}).value || "–";
    table.replaceChildren(el("tr", {}, ...["run", "started", "state", "answers", "failed", "backbones", "subsets", "prompt"].map((h) => el("th", { text: h }))),
      ...runs.map((run) => {
        const row = el("tr", { class: "run", "data-id": run.id },
          el("td", {}, el("a", { href: "#", text: run.id })), el("td", { text: run.created_at }),
          el("td", { text: run.finished ? "finished" : "not finished" }), el("td", { text: String(run.answers) }),
          el("td", { text: String(run.failed) }), el("td", { text: setting(run, "backbones") }),
          el("td", { text: setting(run, "modality subsets") }), el("td", { text: setting(run, "prompt version") }));
        row.querySelector("a").addEventListener("click", (event) => { event.preventDefault(); showRun(run.id); });
        return row;
      }));
  } catch (error) { table.replaceChildren(el("tr", {}, el("td", { class: "error", text: error.message }))); }
}

async function showRun(id) {
  const box = $("run-summary"), frame = $("report");
  box.replaceChildren(el("p", { class: "muted", text: "Scoring run " + id + " (BERTScore and SBERT on first view)…" }));
  try {
    const detail = await getJSON("/api/evaluations/" + encodeURIComponent(id));
    const pct = (p) => p ? (100 * p.value).toFixed(1) + "%" : "–";
    box.replaceChildren(el("h3", { text: "Run " + id }), el("table", { class: "runs" },
      el("tr", {}, ...["backbone", "questions", "failed", "diagnosis accuracy (from the text)", "grounded", "truncated", "BERTScore F1", "SBERT"].map((h) => el("th", { text: h }))),
      ...detail.backbones.map((b) => el("tr", {}, el("td", { text: b.backbone }), el("td", { text: String(b.questions) }), el("td", { text: String(b.failed) }),
        el("td", { text: b.accuracy ? pct(b.accuracy) + " of " + b.diagnosis_questions : "–" }), el("td", { text: pct(b.grounded) }),
        el("td", { text: pct(b.truncated) }), el("td", { text: b.bert_score ? fmt(b.bert_score.f1, 3) : "–" }), el("td", { text: fmt(b.sbert_cosine, 3) })))));
    // The report page is the server's own HTML, shown in a sandboxed frame: no scripts run in it.
    frame.srcdoc = await (await api("/api/evaluations/" + encodeURIComponent(id) + "/report")).text();
    frame.hidden = false;
  } catch (error) { box.replaceChildren(el("p", { class: "error", text: error.message })); frame.hidden = true; }
}

document.addEventListener("DOMContentLoaded", () => {
  $("tab-cases").addEventListener("click", () => showTab("cases"));
  $("tab-evaluations").addEventListener("click", () => showTab("evaluations"));
  $("describe-form").addEventListener("submit", describe);
  $("orientation").addEventListener("change", () => {
    state.convention = $("orientation").value;
    if (state.caseID) selectCase(state.caseID);
  });
  $("search").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(loadCases, 200); });
  $("split").addEventListener("change", loadCases);
  $("diagnosis").addEventListener("change", loadCases);
  $("ask-form").addEventListener("submit", ask);
  loadHealth();
  loadCases().then(() => {
    const wanted = new URLSearchParams(location.search).get("case");
    if (wanted) selectCase(wanted);
  });
});
