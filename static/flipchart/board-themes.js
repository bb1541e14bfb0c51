// Themes on the board (group phase on): notes shown in their themes, moved by drag and drop,
// or by keyboard and touch with a "Move to" list; the facilitator renames, merges, resets.
import { noteElement } from "./board-live.js";

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

export class ThemesView {
  constructor(root, client, { facilitator, areas, anonymous, announce }) {
    Object.assign(this, { root, client, facilitator, areas, anonymous, announce });
    this.themes = { strength: [], improvement: [] };
  }

  get active() {
    return ["group", "find", "agree", "closed"].includes(this.client.board.phase);
  }

  get canCorrect() {
    const { phase, locked } = this.client.board;
    return this.facilitator ? phase !== "closed" : phase === "group" && !locked;
  }

  async refresh() {
    if (!this.active) { this.show(false); return; }
    const result = await this.client.api("GET", "/themes");
    if (!result.ok) return;
    this.themes = result.data;
    this.render();
  }

  show(on) {
    for (const chart of ["strength", "improvement"]) {
      this.root.querySelector(`[data-themes="${chart}"]`).hidden = !on;
      this.root.querySelector(`[data-notes="${chart}"]`).hidden = on;
    }
  }

  render() {
    this.show(true);
    for (const chart of ["strength", "improvement"]) {
      const box = this.root.querySelector(`[data-themes="${chart}"]`);
      box.replaceChildren(...this.themes[chart].map((theme) => this.themeElement(chart, theme)));
    }
  }

  themeElement(chart, theme) {
    const section = el("section", { className: "theme" });
    section.dataset.theme = theme.id;
    const headingId = `theme-${theme.id.replace(/[^a-z0-9]/gi, "-")}`;
    const heading = el("h3", { id: headingId, textContent: theme.label });
    const meta = el("p", { className: "theme-meta" });
    meta.textContent = `${theme.notes.length} note${theme.notes.length === 1 ? "" : "s"} · ${theme.participants} ${theme.participants === 1 ? "person" : "people"}`
      + (theme.recurring ? ` · recurring${chart === "strength" ? " — celebrate" : " — training need"}` : "");
    if (theme.recurring) section.classList.add("recurring");
    section.setAttribute("aria-labelledby", headingId);
    section.append(heading, meta);
    if (this.facilitator && this.canCorrect) section.append(this.themeTools(chart, theme));
    const list = el("ul", { className: "notes" });
    for (const id of theme.notes) {
      const note = this.client.notes.get(id);
      if (note) list.append(this.noteInTheme(chart, note, theme));
    }
    section.append(list);
    // Drop target for mouse drag and drop.
    section.addEventListener("dragover", (event) => { if (this.canCorrect) { event.preventDefault(); section.classList.add("drop"); } });
    section.addEventListener("dragleave", () => section.classList.remove("drop"));
    section.addEventListener("drop", (event) => {
      event.preventDefault();
      section.classList.remove("drop");
      const id = Number(event.dataTransfer.getData("text/plain"));
      if (id) this.move(id, theme.id);
    });
    return section;
  }

  noteInTheme(chart, note, theme) {
    const item = noteElement(note, { areas: this.areas, anonymous: this.anonymous });
    if (!this.canCorrect) return item;
    item.draggable = true;
    item.addEventListener("dragstart", (event) => event.dataTransfer.setData("text/plain", String(note.id)));
    const others = this.themes[chart].filter((t) => t.id !== theme.id);
    const id = `move-${note.id}`;
    const select = el("select", { id, className: "move" });
    select.append(el("option", { value: "", textContent: "Move to…" }));
    for (const other of others) select.append(el("option", { value: other.id, textContent: other.label }));
    select.append(el("option", { value: "__new__", textContent: "A new theme…" }));
    select.addEventListener("change", () => {
      if (select.value === "__new__") {
        const label = window.prompt("Name the new theme");
        if (label && label.trim()) this.act("POST", "/themes", { label, notes: [note.id] }, `New theme ${label}`);
        else select.value = "";
      } else if (select.value) this.move(note.id, select.value);
    });
    const label = el("label", { htmlFor: id, className: "visually-hidden", textContent: `Move note “${note.text.slice(0, 40)}” to another theme` });
    item.append(label, select);
    return item;
  }

  themeTools(chart, theme) {
    const tools = el("div", { className: "theme-tools" });
    const rename = el("button", { type: "button", className: "link", textContent: "Rename" });
    rename.setAttribute("aria-label", `Rename theme ${theme.label}`);
    rename.addEventListener("click", async () => {
      const label = window.prompt("New name for this theme", theme.label);
      if (label && label.trim()) this.act("PATCH", `/themes/${encodeURIComponent(theme.id)}`, { label }, `Theme renamed to ${label}`);
    });
    tools.append(rename);
    const others = this.themes[chart].filter((t) => t.id !== theme.id);
    if (others.length) {
      const id = `merge-${theme.id.replace(/[^a-z0-9]/gi, "-")}`;
      const select = el("select", { id });
      select.append(el("option", { value: "", textContent: "Merge into…" }));
      for (const other of others) select.append(el("option", { value: other.id, textContent: other.label }));
      select.addEventListener("change", () => {
        if (select.value) this.act("POST", `/themes/${encodeURIComponent(theme.id)}/merge`, { into: select.value }, "Themes merged");
      });
      tools.append(el("label", { htmlFor: id, className: "visually-hidden", textContent: `Merge theme ${theme.label} into another` }), select);
    }
    return tools;
  }

  async move(noteId, themeId) {
    const result = await this.client.api("PATCH", `/notes/${noteId}`, { theme: themeId });
    if (result.ok) {
      this.announce.textContent = "Note moved";
      await this.refresh();
    } else this.announce.textContent = result.data.detail || "The note could not be moved.";
  }

  async act(method, path, body, done) {
    const result = await this.client.api(method, path, body);
    this.announce.textContent = result.ok ? done : result.data.detail || "That did not work.";
    if (result.ok) await this.refresh();
  }
}
