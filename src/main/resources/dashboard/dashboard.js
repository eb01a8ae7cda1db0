// janus-sfu live dashboard: polls the Admin API's "dashboard" request once a second (POST /admin on this same
// origin, with the admin secret when the server wants one), derives rates from the counters of consecutive
// snapshots and draws rooms, users, publishers, subscriptions and five-minute SVG plots. No framework, no
// third-party code; every client-supplied string (room and user ids) is put into the page as text, never as HTML.
"use strict";

const POLL_MS = 1000;
const HISTORY = 300;            // samples kept per plot: five minutes at one a second
const SECRET_KEY = "janus-sfu-admin-secret";
const SVG = "http://www.w3.org/2000/svg";

const page = {
  secret: sessionStorage.getItem(SECRET_KEY) || "",
  prev: new Map(),              // handle id -> {t, audio, video} counters of the previous snapshot
  history: new Map(),           // plot key -> [{sent, received}]
  recorded: new Set(),          // plot keys drawn by the current tick (the others are users who left)
  tx: 0,
  lastOk: 0,
};
window.dashboard = page;        // for tests and for the curious

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

function fmtKbps(v) {
  if (v === null || v === undefined) return "—";
  return v >= 10000 ? (v / 1000).toFixed(1) + " Mbit/s" : v.toFixed(v < 10 ? 1 : 0) + " kbit/s";
}
function fmtRate(v, unit) { return v === null || v === undefined ? "—" : v.toFixed(v < 10 ? 1 : 0) + " " + unit; }
function fmtPct(v) { return v === null || v === undefined ? "—" : v.toFixed(v < 1 ? 2 : 1) + " %"; }

async function admin(body) {
  const req = Object.assign({ transaction: "dash-" + (++page.tx) }, body);
  if (page.secret) req.admin_secret = page.secret;
  const r = await fetch("/admin", { method: "POST", body: JSON.stringify(req), cache: "no-store",
                                    headers: { "Content-Type": "application/json" } });
  return r.json();
}

// ---- counters -> rates ------------------------------------------------------------------------------------------

function counters(info) {
  const media = (info.webrtc && info.webrtc.media) || {};
  const c = { t: info.current_time, up: !!(info.flags && info.flags.ready) };
  for (const kind of ["audio", "video"]) {
    // Janus 1.1.2 keys media by mid; the counters are on the first m-line of each type.
    const m = Object.values(media).find(x => x && x.type === kind && x.stats) || {};
    const st = m.stats || {}, i = st.in || {}, o = st.out || {}, r = (m.rtcp && m.rtcp.main) || {};
    c[kind] = { inPackets: i.packets || 0, inBytes: i.bytes, outPackets: o.packets || 0, outBytes: o.bytes || 0,
                lost: r.lost || 0, jitter: r["jitter-local"], rtt: r.rtt, rtx: o.retransmissions || 0,
                nackMisses: o.nack_misses || 0 };
  }
  return c;
}

function rates(id, now) {
  const before = page.prev.get(id);
  const out = { audio: {}, video: {} };
  for (const kind of ["audio", "video"]) {
    const a = now[kind], b = before && before[kind];
    const dt = before ? (now.t - before.t) / 1e6 : 0;
    const o = out[kind];
    o.jitterMs = a.jitter === undefined ? null : a.jitter / (kind === "audio" ? 48 : 90);
    o.rtt = a.rtt === undefined ? null : a.rtt;
    if (!b || dt <= 0) continue;
    const inPk = Math.max(0, a.inPackets - b.inPackets), lost = Math.max(0, a.lost - b.lost);
    o.inPps = inPk / dt;
    o.inKbps = a.inBytes === undefined || b.inBytes === undefined ? null : Math.max(0, a.inBytes - b.inBytes) * 8 / dt / 1000;
    o.outKbps = Math.max(0, a.outBytes - b.outBytes) * 8 / dt / 1000;
    o.outPps = Math.max(0, a.outPackets - b.outPackets) / dt;
    o.lossPct = inPk + lost > 0 ? 100 * lost / (inPk + lost) : (a.inPackets > 0 ? 0 : null);
    o.rtxPs = Math.max(0, a.rtx - b.rtx) / dt;
    o.nackMissPs = Math.max(0, a.nackMisses - b.nackMisses) / dt;
  }
  return out;
}

const sum = (...vs) => vs.some(v => typeof v === "number") ? vs.reduce((s, v) => s + (typeof v === "number" ? v : 0), 0) : null;

function record(key, sample) {
  page.recorded.add(key);
  let h = page.history.get(key);
  if (!h) page.history.set(key, h = []);
  h.push(sample);
  if (h.length > HISTORY) h.splice(0, h.length - HISTORY);
  return h;
}

// ---- model: rooms -> users -> publisher + subscriptions ---------------------------------------------------------

function model(snapshot) {
  const rooms = new Map();
  const seen = new Set();
  const totals = { inPps: 0, outKbps: 0, up: 0 };
  for (const info of snapshot.handle_info) {
    const id = info.handle_id;
    seen.add(id);
    const now = counters(info);
    const r = rates(id, now);
    page.prev.set(id, now);
    if (now.up) totals.up++;
    totals.inPps += sum(r.audio.inPps, r.video.inPps) || 0;
    totals.outKbps += sum(r.audio.outKbps, r.video.outKbps) || 0;
    const ps = info.plugin_specific || {};
    const roomId = ps.joined ? ps.room_id : null;
    const userId = ps.joined ? ps.user_id : "session " + info.session_id;
    if (!rooms.has(roomId)) rooms.set(roomId, new Map());
    const users = rooms.get(roomId);
    if (!users.has(userId)) users.set(userId, { id: userId, sessions: new Set(), publishers: [], subscriptions: [] });
    const u = users.get(userId);
    u.sessions.add(info.session_id);
    const h = { info, ps, r, state: state(info) };
    if (ps.role === "subscriber" || ps.receives_media_from) u.subscriptions.push(h); else u.publishers.push(h);
  }
  for (const id of [...page.prev.keys()]) if (!seen.has(id)) page.prev.delete(id);
  return { rooms, totals };
}

function state(info) {
  const w = info.webrtc;
  if (!w) return { text: info.flags && info.flags.stopped ? "no media" : "—", cls: "" };
  if (info.flags && info.flags.ready) return { text: "up", cls: "good" };
  const ice = (w.ice && w.ice.state) || "?", dtls = (w.dtls && w.dtls["dtls-state"]) || "?";
  return { text: "ICE " + ice + " / DTLS " + dtls, cls: "warn" };
}

// ---- drawing ----------------------------------------------------------------------------------------------------

function spark(samples, width, height, lines) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "spark");
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  let max = 0;
  for (const s of samples) for (const l of lines) max = Math.max(max, s[l.key] || 0);
  const top = 12, bottom = height - 2, scale = max > 0 ? (bottom - top) / max : 0;
  // The x axis spans the history kept so far: one minute at first, growing to five.
  const span = Math.min(HISTORY, Math.max(60, samples.length));
  const step = width / (span - 1), x0 = width - (samples.length - 1) * step;
  for (const l of lines) {
    const p = document.createElementNS(SVG, "polyline");
    p.setAttribute("points", samples.map((s, i) => `${(x0 + i * step).toFixed(1)},${(bottom - (s[l.key] || 0) * scale).toFixed(1)}`).join(" "));
    p.setAttribute("stroke", l.color);
    svg.append(p);
  }
  const t = document.createElementNS(SVG, "text");
  t.setAttribute("x", 3);
  t.setAttribute("y", 10);
  t.textContent = "max " + lines[0].format(max) + " · last " + (span >= HISTORY ? "5 min" : span + " s");
  svg.append(t);
  return svg;
}

const css = name => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

function drawSummary(snapshot, m) {
  const users = [...m.rooms].filter(([room]) => room !== null).reduce((n, [, us]) => n + us.size, 0);
  const hist = record("server", { sent: m.totals.outKbps, received: m.totals.inPps });
  const tile = (n, l) => el("div", { class: "tile" }, el("div", { class: "n num" }, n), el("div", { class: "l" }, l));
  const summary = document.getElementById("summary");
  summary.replaceChildren(
    tile(snapshot.sessions, "sessions"),
    tile(snapshot.handles + (snapshot.truncated ? " *" : ""), "handles"),
    tile(snapshot.rooms.length, "rooms"),
    tile(users, "users"),
    tile(m.totals.up, "PCs up"),
    el("div", { class: "tile plot" },
      el("div", {}, el("div", { class: "n num", "data-total-kbps": m.totals.outKbps.toFixed(1) }, fmtKbps(m.totals.outKbps)),
                    el("div", { class: "l" }, "sent to subscribers")),
      spark(hist, 150, 46, [{ key: "sent", color: css("--sub"), format: fmtKbps }])),
    el("div", { class: "tile plot" },
      el("div", {}, el("div", { class: "n num" }, fmtRate(m.totals.inPps, "pkt/s")),
                    el("div", { class: "l" }, "received from publishers")),
      spark(hist, 150, 46, [{ key: "received", color: css("--pub"), format: v => fmtRate(v, "pkt/s") }])));
  if (snapshot.truncated) {
    summary.append(el("div", { class: "tile" }, el("div", { class: "l" },
      "* only the first " + snapshot.max_handles + " handles are shown (admin.dashboard-max-handles)")));
  }
}

function publisherCell(u, room) {
  if (u.publishers.length === 0) return el("td", { class: "dim" }, "no publisher");
  const td = el("td", {});
  for (const p of u.publishers) {
    const a = p.r.audio, v = p.r.video;
    const forwarded = room.forwardedFrom.get(u.id) || 0;
    td.append(el("div", { class: "kv" },
      el("span", { class: "k" }, "state"), el("span", {}, el("span", { class: "pill " + p.state.cls }, p.state.text),
                                              el("span", { class: "handle" }, "handle " + p.info.handle_id)),
      el("span", { class: "k" }, "received"), el("span", { class: "num" },
        "audio " + (a.inKbps != null ? fmtKbps(a.inKbps) : fmtRate(a.inPps, "pkt/s")) + " · video "
        + (v.inKbps != null ? fmtKbps(v.inKbps) : fmtRate(v.inPps, "pkt/s"))),
      el("span", { class: "k" }, "loss"), el("span", { class: "num" }, "audio " + fmtPct(a.lossPct) + " · video " + fmtPct(v.lossPct)),
      el("span", { class: "k" }, "jitter"), el("span", { class: "num" },
        "audio " + fmtRate(a.jitterMs, "ms") + " · video " + fmtRate(v.jitterMs, "ms")),
      (a.rtt != null || v.rtt != null) ? el("span", { class: "k" }, "RTT") : null,
      (a.rtt != null || v.rtt != null) ? el("span", { class: "num" }, "audio " + fmtRate(a.rtt, "ms") + " · video " + fmtRate(v.rtt, "ms")) : null,
      el("span", { class: "k" }, "forwarded"), el("span", { class: "num" },
        el("span", { class: "rate pub", "data-forwarded-kbps": forwarded.toFixed(1) }, fmtKbps(forwarded)),
        " to " + (p.ps.media_subscribers || 0) + " subscription" + (p.ps.media_subscribers === 1 ? "" : "s"))));
  }
  return td;
}

function subscriptionsCell(u) {
  if (u.subscriptions.length === 0) return el("td", { class: "dim" }, "none");
  const td = el("td", {});
  for (const s of u.subscriptions) {
    const a = s.r.audio, v = s.r.video;
    const kbps = sum(a.outKbps, v.outKbps);
    td.append(el("div", { class: "sub", "data-subscription": s.ps.receives_media_from || "" },
      el("span", {}, "← " + (s.ps.receives_media_from || "(nobody)")),
      el("span", { class: "pill " + s.state.cls }, s.state.text),
      el("span", { class: "rate sub num", "data-kbps": kbps === null ? "" : kbps.toFixed(1) }, fmtKbps(kbps))),
      el("div", { class: "sub-detail num dim" }, "audio " + fmtKbps(a.outKbps) + " · video " + fmtKbps(v.outKbps)
        + " · rtx " + fmtRate(sum(a.rtxPs, v.rtxPs), "/s") + " · NACK misses " + fmtRate(sum(a.nackMissPs, v.nackMissPs), "/s")
        + ((a.rtt != null || v.rtt != null) ? " · RTT " + fmtRate(v.rtt != null ? v.rtt : a.rtt, "ms") : "")));
  }
  return td;
}

function drawRooms(m) {
  const main = document.getElementById("rooms");
  const ids = [...m.rooms.keys()].sort((a, b) => a === null ? 1 : b === null ? -1 : a.localeCompare(b));
  if (ids.length === 0) {
    main.replaceChildren(el("div", { class: "room" }, el("div", { class: "empty" }, "No sessions.")));
    return;
  }
  const cards = [];
  for (const roomId of ids) {
    const users = m.rooms.get(roomId);
    const room = { forwardedFrom: new Map() };
    for (const u of users.values()) for (const s of u.subscriptions) {
      const from = s.ps.receives_media_from;
      if (from) room.forwardedFrom.set(from, (room.forwardedFrom.get(from) || 0) + (sum(s.r.audio.outKbps, s.r.video.outKbps) || 0));
    }
    const rows = [];
    for (const u of [...users.values()].sort((a, b) => a.id.localeCompare(b.id))) {
      const received = u.subscriptions.reduce((n, s) => n + (sum(s.r.audio.outKbps, s.r.video.outKbps) || 0), 0);
      const hist = record("user|" + roomId + "|" + u.id, { sent: room.forwardedFrom.get(u.id) || 0, received });
      rows.push(el("tr", { "data-user": u.id },
        el("td", { class: "user" }, u.id, el("span", { class: "dim" }, "session " + [...u.sessions].join(", "))),
        publisherCell(u, room),
        subscriptionsCell(u),
        el("td", {}, spark(hist, 240, 52, [{ key: "sent", color: css("--pub"), format: fmtKbps },
                                           { key: "received", color: css("--sub"), format: fmtKbps }]),
          el("div", { class: "legend" }, el("span", { class: "pub" }, "■ forwarded from " + u.id), "   ",
                                         el("span", { class: "sub" }, "■ sent to " + u.id)))));
    }
    const title = roomId === null ? el("h2", {}, "Not in a room")
      : el("h2", {}, "Room ", el("span", { "data-room": roomId }, roomId), el("span", { class: "dim" }, users.size + " user" + (users.size === 1 ? "" : "s")));
    cards.push(el("section", { class: "room" }, title, el("table", {},
      el("thead", {}, el("tr", {}, el("th", {}, "user"), el("th", {}, "publisher"), el("th", {}, "subscriptions"),
                                   el("th", {}, "bitrate"))),
      el("tbody", {}, ...rows))));
  }
  main.replaceChildren(...cards);
}

// ---- loop -------------------------------------------------------------------------------------------------------

function setStatus(text, ok) {
  const s = document.getElementById("status");
  s.textContent = text;
  s.className = "status " + (ok ? "ok" : "err");
}

function askSecret(message) {
  const form = document.getElementById("login");
  form.hidden = false;
  document.getElementById("login-error").textContent = message || "";
  document.getElementById("secret").focus();
}

async function tick() {
  try {
    const reply = await admin({ janus: "dashboard" });
    if (reply.janus === "error") {
      if (reply.error && reply.error.code === 403) {
        askSecret(page.secret ? "Wrong secret." : "");
        setStatus("admin secret needed", false);
        page.waiting = true;                    // polling resumes when the form is submitted
        return;
      }
      setStatus("error " + reply.error.code + ": " + reply.error.reason, false);
    } else {
      document.getElementById("login").hidden = true;
      const m = model(reply.dashboard);
      page.recorded.clear();
      drawSummary(reply.dashboard, m);
      drawRooms(m);
      for (const key of [...page.history.keys()]) if (!page.recorded.has(key)) page.history.delete(key);
      page.lastOk = Date.now();
      setStatus("live · " + new Date().toLocaleTimeString(), true);
    }
  } catch (e) {
    setStatus("server unreachable (" + e.message + ")", false);
  }
  setTimeout(tick, POLL_MS);
}

document.getElementById("login").addEventListener("submit", ev => {
  ev.preventDefault();
  page.secret = document.getElementById("secret").value;
  sessionStorage.setItem(SECRET_KEY, page.secret);
  if (page.waiting) {
    page.waiting = false;
    tick();
  }
});

admin({ janus: "info" }).then(info => {
  if (info.janus === "server_info") {
    document.getElementById("server").textContent = (info.name || "") + " " + (info.version_string || "");
  }
}).catch(() => {});
tick();
