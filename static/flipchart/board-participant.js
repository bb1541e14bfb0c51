// The participant's phone view of the board: write notes (kept on the phone until the server
// has them), see and edit one's own notes, and everyone's after the reveal.
import { BoardClient, PHASE_HELP, areaTitles, debounce, isRevealed, noteElement, runTimer, showStatus } from "./board-live.js";
import { OutcomesView } from "./board-outcomes.js";
import { ThemesView } from "./board-themes.js";

const root = document.getElementById("board");
const client = new BoardClient(root);
const areas = areaTitles(root);
const anonymous = root.dataset.anonymous === "1";
const form = root.querySelector("[data-add-note]");
const textarea = form.querySelector("textarea");
const counter = form.querySelector("[data-char-count]");
const errorBox = form.querySelector("[data-note-error]");
const outboxInfo = form.querySelector("[data-outbox]");
const announce = root.querySelector("[data-announce]");
const draftKey = `flipchart:draft:${client.auditId}`;
const themes = new ThemesView(root, client, { facilitator: false, areas, anonymous, announce });
const outcomes = new OutcomesView(root, client, { facilitator: false, announce });
const refreshThemes = debounce(() => themes.refresh());
const refreshOutcomes = debounce(() => outcomes.refresh());

// The note being written survives reloads, phase changes and lost connections.
function saveDraft() {
  const chart = form.querySelector("input[name=chart]:checked")?.value;
  try { localStorage.setItem(draftKey, JSON.stringify({ text: textarea.value, chart, area: form.area.value })); } catch { /* ignore */ }
  counter.textContent = `${textarea.value.length} of 280 characters`;
}
function restoreDraft() {
  try {
    const draft = JSON.parse(localStorage.getItem(draftKey) || "null");
    if (!draft) return;
    textarea.value = draft.text || "";
    if (draft.chart) form.querySelector(`input[name=chart][value="${draft.chart}"]`)?.click();
    if (draft.area) form.area.value = draft.area;
  } catch { /* ignore */ }
  counter.textContent = `${textarea.value.length} of 280 characters`;
}

function render() {
  for (const list of root.querySelectorAll("[data-notes]")) list.replaceChildren();
  const notes = [...client.notes.values()].sort((a, b) => a.id - b.id);
  for (const note of notes) place(note);
  counts();
}

function place(note) {
  const list = root.querySelector(`[data-notes="${note.chart}"]`);
  const element = noteElement(note, { areas, anonymous });
  if (note.mine) element.append(ownActions(note));
  const existing = root.querySelector(`.note[data-id="${note.id}"]`);
  if (existing) existing.replaceWith(element);
  else list.append(element);
}

function ownActions(note) {
  const bar = document.createElement("div");
  bar.className = "note-actions";
  const edit = document.createElement("button");
  edit.type = "button";
  edit.className = "link";
  edit.textContent = "Edit";
  edit.setAttribute("aria-label", `Edit note: ${note.text.slice(0, 40)}`);
  edit.addEventListener("click", () => editNote(note));
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "link";
  remove.textContent = "Delete";
  remove.setAttribute("aria-label", `Delete note: ${note.text.slice(0, 40)}`);
  remove.addEventListener("click", async () => {
    const result = await client.api("DELETE", `/notes/${note.id}`);
    if (result.ok) { client.notes.delete(note.id); render(); announce.textContent = "Note deleted"; }
    else errorBox.textContent = result.data.detail || "Could not delete the note.";
  });
  bar.append(edit, remove);
  return bar;
}

function editNote(note) {
  const dialog = root.querySelector("[data-edit-dialog]");
  const editForm = dialog.querySelector("form");
  editForm.text.value = note.text;
  dialog.showModal();
  dialog.addEventListener("close", async () => {
    if (dialog.returnValue !== "save" || editForm.text.value === note.text) return;
    const result = await client.api("PATCH", `/notes/${note.id}`, { text: editForm.text.value });
    if (result.ok) { client.notes.set(note.id, result.data); place(result.data); }
    else errorBox.textContent = result.data.detail || "Could not save the change.";
  }, { once: true });
}

function counts() {
  for (const chart of ["strength", "improvement"]) {
    const n = [...client.notes.values()].filter((note) => note.chart === chart).length;
    root.querySelector(`[data-count="${chart}"]`).textContent = `(${n})`;
  }
}

function showBoard() {
  const { phase, locked, timer_ends_at: endsAt } = client.board;
  root.querySelector("[data-phase-name]").textContent = phase[0].toUpperCase() + phase.slice(1) + (locked ? " · locked" : "");
  root.querySelector("[data-phase-help]").textContent = locked
    ? "The board is locked for a moment. Keep writing: your notes are sent when it opens."
    : (isRevealed(phase) ? PHASE_HELP[phase] : PHASE_HELP.write);
  form.querySelector("button[type=submit]").textContent = locked ? "Keep note for later" : "Add note";
  runTimer(root.querySelector("[data-timer]"), endsAt);
  refreshThemes();
  refreshOutcomes();
}

form.addEventListener("input", saveDraft);
form.addEventListener("change", saveDraft);
form.addEventListener("submit", (event) => {
  event.preventDefault();
  errorBox.textContent = "";
  const text = textarea.value.trim();
  if (!text) { errorBox.textContent = "Write something on the note first."; textarea.focus(); return; }
  if (text.length > 280) { errorBox.textContent = "Keep it to 280 characters — or split it into two notes."; return; }
  const chart = form.querySelector("input[name=chart]:checked").value;
  client.addNote({ chart, text, area: form.area.value || null });
  textarea.value = "";
  saveDraft();
  announce.textContent = "Note added";
  textarea.focus();
});

client.addEventListener("notes", () => { render(); refreshThemes(); });
client.addEventListener("themes", refreshThemes);
client.addEventListener("outcomes", refreshOutcomes);
client.addEventListener("note", (event) => {
  place(event.detail.note);
  counts();
  if (themes.active) refreshThemes();
  if (event.detail.created && !event.detail.note.mine) announce.textContent = `New note: ${event.detail.note.text}`;
});
client.addEventListener("note-removed", (event) => { root.querySelector(`.note[data-id="${event.detail.id}"]`)?.remove(); counts(); });
client.addEventListener("board", showBoard);
client.addEventListener("status", (event) => showStatus(root.querySelector("[data-conn]"), event.detail.state));
client.addEventListener("outbox", (event) => {
  const n = event.detail.pending;
  outboxInfo.textContent = n ? `${n} note${n > 1 ? "s" : ""} waiting to send — kept safely on this phone.` : "";
});
client.addEventListener("outbox-held", (event) => { outboxInfo.textContent = `${event.detail.message || "Waiting"} Your notes are kept on this phone.`; });
client.addEventListener("outbox-rejected", (event) => {
  textarea.value = event.detail.item.text;
  saveDraft();
  errorBox.textContent = event.detail.message || "That note could not be added.";
});

async function loadSuggestions() {
  const list = root.querySelector("[data-suggestions]");
  const result = await client.api("GET", "/suggestions");
  list.replaceChildren();
  const items = result.ok ? result.data : [];
  if (!items.length) {
    const li = document.createElement("li");
    li.className = "hint";
    li.textContent = "Answer the audit first and ideas from your answers will appear here.";
    list.append(li);
    return;
  }
  for (const suggestion of items) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = `${suggestion.chart === "strength" ? "Strength" : "To improve"}: ${suggestion.text}`;
    button.addEventListener("click", () => {
      form.querySelector(`input[name=chart][value="${suggestion.chart}"]`).click();
      textarea.value = suggestion.text;
      form.area.value = suggestion.area || "";
      saveDraft();
      textarea.focus();
    });
    li.append(button);
    list.append(li);
  }
}

restoreDraft();
client.start();
loadSuggestions();
