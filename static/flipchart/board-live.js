// The live board's client core: the state of the notes, the socket with automatic reconnection,
// and an outbox that keeps every note typed until the server has acknowledged it.
// Note text is only ever inserted with textContent (never innerHTML).

const PHASES = ["write", "reveal", "group", "find", "agree", "closed"];
export const isRevealed = (phase) => PHASES.indexOf(phase) >= PHASES.indexOf("reveal");
export { PHASES };

function csrfToken(root) {
  return root.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";
}

export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

export class BoardClient extends EventTarget {
  constructor(root) {
    super();
    this.root = root;
    this.auditId = root.dataset.audit;
    this.csrf = csrfToken(root);
    this.notes = new Map();
    this.board = { phase: "write", locked: false, timer_ends_at: null };
    this.lastSeq = 0;
    this.retry = 0;
    this.socket = null;
    this.outbox = new Outbox(`flipchart:outbox:${this.auditId}`);
  }

  emit(type, detail) { this.dispatchEvent(new CustomEvent(type, { detail })); }

  // Never throws: a dropped connection answers { ok: false, status: 0 } like any refusal.
  async api(method, path, body) {
    let response;
    try {
      response = await fetch(`/api/v1/audits/${this.auditId}${path}`, {
        method,
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": this.csrf },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      return { ok: false, status: 0, data: { detail: "No connection — your work is kept on this device." } };
    }
    const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
    return { ok: response.ok, status: response.status, data };
  }

  async start() {
    await this.reload();
    this.connect();
    window.addEventListener("online", () => this.flush());
    setInterval(() => this.flush(), 10000);
    this.flush();
  }

  async reload() {
    const [board, notes] = await Promise.all([this.api("GET", "/board"), this.api("GET", "/notes?since=0")]);
    if (board.ok) this.setBoard(board.data, { fromReload: true });
    if (notes.ok) {
      this.notes.clear();
      for (const note of notes.data.notes) this.notes.set(note.id, note);
      this.lastSeq = Math.max(this.lastSeq, notes.data.seq);
      this.emit("notes", { reset: true });
    }
  }

  setBoard(board, { fromReload = false } = {}) {
    const wasRevealed = isRevealed(this.board.phase);
    const phaseChanged = board.phase !== this.board.phase;
    this.board = { ...this.board, ...board };
    this.emit("board", { phaseChanged });
    // What a participant may see changes at the reveal: fetch the whole board once.
    if (!fromReload && wasRevealed !== isRevealed(this.board.phase)) this.reload();
    if (!this.board.locked) this.flush();
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/ws/audits/${this.auditId}/?since=${this.lastSeq}`);
    this.socket = socket;
    this.emit("status", { state: "connecting" });
    socket.addEventListener("open", () => { this.retry = 0; this.emit("status", { state: "live" }); this.flush(); });
    socket.addEventListener("message", (event) => this.receive(JSON.parse(event.data)));
    socket.addEventListener("close", (event) => {
      if (this.socket !== socket) return;
      if (event.code === 4401 || event.code === 4403) {
        this.emit("status", { state: "refused" });
        return;
      }
      this.emit("status", { state: "offline" });
      // Exponential backoff with jitter, so a room of phones does not reconnect in step.
      const delay = Math.min(10000, 500 * 2 ** this.retry) * (0.5 + Math.random() / 2);
      this.retry += 1;
      setTimeout(() => this.connect(), delay);
    });
    clearInterval(this.pinger);
    this.pinger = setInterval(() => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "ping" }));
    }, 25000);
  }

  receive(message) {
    if (typeof message.seq === "number") this.lastSeq = Math.max(this.lastSeq, message.seq);
    switch (message.type) {
      case "note.created":
      case "note.updated":
        this.notes.set(message.note.id, message.note);
        this.emit("note", { note: message.note, created: message.type === "note.created" });
        break;
      case "note.deleted":
        this.notes.delete(message.note.id);
        this.emit("note-removed", { id: message.note.id });
        break;
      case "board.updated":
        this.setBoard(message.board);
        break;
      case "themes.updated":
        this.emit("themes", {});
        break;
      case "matches.updated":
      case "actions.updated":
        this.emit("outcomes", {});
        break;
      default:
        break;
    }
  }

  addNote(fields) {
    this.outbox.add({ ...fields, client_id: uuid() });
    this.emit("outbox", { pending: this.outbox.items.length });
    return this.flush();
  }

  async flush() {
    if (this.flushing || !this.outbox.items.length) return;
    if (this.board.locked || this.board.phase === "closed") {
      this.emit("outbox-held", { message: this.board.locked ? "The board is locked for now." : "The board is closed." });
      return;
    }
    this.flushing = true;
    try {
      for (const item of [...this.outbox.items]) {
        const result = await this.api("POST", "/notes", item);
        if (result.status === 0) break; // offline: keep everything, try again later
        if (result.ok) {
          this.outbox.remove(item.client_id);
          this.notes.set(result.data.id, result.data);
          this.emit("note", { note: result.data, created: true });
        } else if (result.status === 409 || result.status === 429 || result.status >= 500) {
          this.emit("outbox-held", { message: result.data.detail });
          break; // locked or closed: keep it until the board opens again
        } else {
          this.outbox.remove(item.client_id);
          this.emit("outbox-rejected", { item, message: result.data.detail });
        }
      }
    } finally {
      this.flushing = false;
      this.emit("outbox", { pending: this.outbox.items.length });
    }
  }
}

class Outbox {
  constructor(key) {
    this.key = key;
    try { this.items = JSON.parse(localStorage.getItem(key) || "[]"); } catch { this.items = []; }
  }
  save() { try { localStorage.setItem(this.key, JSON.stringify(this.items)); } catch { /* private mode */ } }
  add(item) { this.items.push(item); this.save(); }
  remove(clientId) { this.items = this.items.filter((i) => i.client_id !== clientId); this.save(); }
}

export function debounce(fn, ms = 250) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

export function noteElement(note, { areas = {}, anonymous = true } = {}) {
  const li = document.createElement("li");
  li.className = "note";
  li.dataset.id = note.id;
  li.tabIndex = -1;
  const text = document.createElement("p");
  text.className = "note-text";
  text.textContent = note.text;
  li.append(text);
  const meta = document.createElement("p");
  meta.className = "note-meta";
  const bits = [];
  if (note.area) bits.push(areas[note.area] || note.area);
  if (!anonymous && note.author) bits.push(note.author.name);
  if (note.mine) bits.push("yours");
  if (note.hidden) bits.push("hidden by the facilitator");
  meta.textContent = bits.join(" · ");
  li.append(meta);
  if (note.hidden) li.classList.add("is-hidden");
  return li;
}

export function areaTitles(root) {
  const titles = {};
  for (const option of root.querySelectorAll("select[name=area] option, [data-area-title]")) {
    if (option.value) titles[option.value] = option.textContent;
    if (option.dataset?.areaTitle) titles[option.dataset.areaKey] = option.dataset.areaTitle;
  }
  return titles;
}

export function showStatus(element, state) {
  const words = { connecting: "Connecting…", live: "Live", offline: "Reconnecting… your notes are kept on this device", refused: "You are not on this board" };
  element.textContent = words[state] || state;
  element.dataset.state = state;
}

export function runTimer(element, endsAt) {
  clearInterval(element._timer);
  if (!endsAt) { element.textContent = ""; return; }
  const end = new Date(endsAt).getTime();
  const tick = () => {
    const left = Math.max(0, Math.round((end - Date.now()) / 1000));
    element.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")} left`;
    if (!left) clearInterval(element._timer);
  };
  tick();
  element._timer = setInterval(tick, 1000);
}

export const PHASE_HELP = {
  write: "Write one idea per note. Only you see your notes until the reveal.",
  reveal: "Everyone's notes are on the board. Read them quietly first.",
  group: "Notes are grouped into themes. Move a note if it sits in the wrong theme.",
  find: "Look for recurring strengths to celebrate, training needs, and colleagues who can help.",
  agree: "Agree actions and peer-support pairs, each with an owner and a date.",
  closed: "The board is closed. Thank you.",
};
