// The facilitator's projector view: phases, lock, timer, the two flipcharts, and private
// moderation before the reveal. Before the reveal the projector shows counts only.
import { BoardClient, PHASES, PHASE_HELP, areaTitles, debounce, isRevealed, noteElement, runTimer, showStatus } from "./board-live.js";
import { OutcomesView } from "./board-outcomes.js";
import { ThemesView } from "./board-themes.js";

const root = document.getElementById("board");
const client = new BoardClient(root);
const areas = areaTitles(root);
const anonymous = root.dataset.anonymous === "1";
const announce = root.querySelector("[data-announce]");
const moderation = root.querySelector("[data-moderation-list]");
const themes = new ThemesView(root, client, { facilitator: true, areas, anonymous, announce });
const outcomes = new OutcomesView(root, client, { facilitator: true, announce });
const refreshThemes = debounce(() => themes.refresh());
const refreshOutcomes = debounce(() => outcomes.refresh());

async function patchBoard(body) {
  const result = await client.api("PATCH", "/board", body);
  if (!result.ok) announce.textContent = result.data.detail || "That did not work.";
  else client.setBoard(result.data);
}

root.querySelector("[data-action=next]").addEventListener("click", () => {
  const next = PHASES[PHASES.indexOf(client.board.phase) + 1];
  if (next) patchBoard({ phase: next });
});
root.querySelector("[data-action=back]").addEventListener("click", () => {
  const back = PHASES[PHASES.indexOf(client.board.phase) - 1];
  if (back) patchBoard({ phase: back });
});
root.querySelector("[data-action=lock]").addEventListener("click", () => patchBoard({ locked: !client.board.locked }));
root.querySelector("[data-action=timer]").addEventListener("click", () => {
  const minutes = Number(root.querySelector("[data-timer-minutes]").value || 0);
  patchBoard({ timer_seconds: Math.round(Math.max(0, Math.min(180, minutes)) * 60) });
});

function showBoard() {
  const { phase, locked, timer_ends_at: endsAt } = client.board;
  for (const item of root.querySelectorAll(".phases li")) {
    const current = item.dataset.phase === phase;
    item.classList.toggle("current", current);
    if (current) item.setAttribute("aria-current", "step"); else item.removeAttribute("aria-current");
  }
  const lock = root.querySelector("[data-action=lock]");
  lock.textContent = locked ? "Unlock the board" : "Lock the board";
  lock.setAttribute("aria-pressed", String(locked));
  const index = PHASES.indexOf(phase);
  root.querySelector("[data-action=back]").disabled = index === 0;
  const next = root.querySelector("[data-action=next]");
  next.disabled = index === PHASES.length - 1;
  next.textContent = index < PHASES.length - 1 ? `Next: ${PHASES[index + 1][0].toUpperCase()}${PHASES[index + 1].slice(1)}` : "Finished";
  root.querySelector("[data-phase-help]").textContent = PHASE_HELP[phase] + (locked ? " (Locked: nobody can change notes.)" : "");
  runTimer(root.querySelector("[data-timer]"), endsAt);
  render();
  refreshThemes();
  refreshOutcomes();
  root.querySelector("[data-action=reset]").hidden = !themes.active || phase === "closed";
}

function render() {
  const revealed = isRevealed(client.board.phase);
  const notes = [...client.notes.values()].sort((a, b) => a.id - b.id);
  for (const chart of ["strength", "improvement"]) {
    const mine = notes.filter((n) => n.chart === chart && !n.hidden);
    const list = root.querySelector(`[data-notes="${chart}"]`);
    const countsOnly = root.querySelector(`[data-chart="${chart}"] .counts-only`);
    root.querySelector(`[data-count="${chart}"]`).textContent = `(${mine.length})`;
    list.hidden = !revealed || themes.active;
    countsOnly.hidden = revealed;
    countsOnly.textContent = `${mine.length} note${mine.length === 1 ? "" : "s"} written so far — they appear at the reveal.`;
    list.replaceChildren(...(revealed ? mine.map((note) => noteElement(note, { areas, anonymous })) : []));
  }
  moderation.replaceChildren(...notes.map(moderationItem));
}

function moderationItem(note) {
  const li = document.createElement("li");
  const text = document.createElement("span");
  text.textContent = note.text;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "secondary";
  button.textContent = note.hidden ? "Show" : "Hide";
  button.setAttribute("aria-label", `${note.hidden ? "Show" : "Hide"} note: ${note.text.slice(0, 40)}`);
  button.addEventListener("click", async () => {
    const result = await client.api("PATCH", `/notes/${note.id}`, { hidden: !note.hidden });
    if (result.ok) { client.notes.set(note.id, result.data); render(); }
  });
  li.append(text, button);
  if (note.hidden) li.classList.add("is-hidden");
  return li;
}

root.querySelector("[data-action=reset]").addEventListener("click", () => themes.act("POST", "/themes-reset", undefined, "Back to the automatic grouping"));

client.addEventListener("notes", () => { render(); refreshThemes(); });
client.addEventListener("themes", refreshThemes);
client.addEventListener("outcomes", refreshOutcomes);
client.addEventListener("note", (event) => {
  render();
  if (themes.active) refreshThemes();
  if (event.detail.created && isRevealed(client.board.phase)) announce.textContent = `New note: ${event.detail.note.text}`;
});
client.addEventListener("note-removed", render);
client.addEventListener("board", showBoard);
client.addEventListener("status", (event) => showStatus(root.querySelector("[data-conn]"), event.detail.state));
client.start();
