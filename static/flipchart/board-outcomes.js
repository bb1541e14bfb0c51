// The find and agree phases: what to celebrate, training needs, matches with consent, actions.
// Shared by the projector (facilitator) and the phone (participant) views.

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

export class OutcomesView {
  constructor(root, client, { facilitator, announce }) {
    Object.assign(this, { root, client, facilitator, announce });
    this.box = root.querySelector("[data-outcomes]");
  }

  noteText(id) {
    return this.client.notes.get(id)?.text ?? "(a note)";
  }

  async refresh() {
    const phase = this.client.board.phase;
    const parts = [];
    const previous = await this.client.api("GET", "/actions");
    if (["find", "agree", "closed"].includes(phase)) {
      const [found, matches] = await Promise.all([this.client.api("GET", "/find"), this.client.api("GET", "/matches")]);
      if (found.ok) parts.push(this.celebrate(found.data.recurring_strengths), this.needs(found.data.training_needs));
      if (matches.ok) parts.push(this.matches(matches.data, phase));
    }
    if (previous.ok && (phase === "agree" || phase === "closed" || previous.data.actions.length)) parts.push(this.actions(previous.data.actions, "Agreed actions"));
    if (previous.ok && previous.data.previous.length && ["write", "reveal"].includes(phase)) parts.push(this.actions(previous.data.previous, "Last round's actions — how did they go?", true));
    // A live refresh must never wipe what someone is typing into a form here.
    const typed = new Map([...this.box.querySelectorAll("form input[id]")].map((i) => [i.id, i.value]));
    const focused = document.activeElement?.id;
    this.box.replaceChildren(...parts);
    for (const [id, value] of typed) {
      const input = this.box.querySelector(`#${CSS.escape(id)}`);
      if (input && input.type !== "submit") input.value = value;
    }
    if (focused) this.box.querySelector(`#${CSS.escape(focused)}`)?.focus();
    this.box.hidden = parts.length === 0;
  }

  celebrate(themes) {
    const section = el("section", { className: "panel" }, el("h2", { textContent: "Recurring strengths — celebrate" }));
    const list = el("ol");
    for (const theme of themes) list.append(el("li", { textContent: `${theme.label} (${theme.participants} people)` }));
    if (!themes.length) list.append(el("li", { textContent: "No strength was named by two or more people yet." }));
    section.append(list);
    return section;
  }

  needs(needs) {
    const section = el("section", { className: "panel" }, el("h2", { textContent: "Training needs, most shared first" }));
    const list = el("ol");
    for (const need of needs) {
      const item = el("li", { textContent: `${need.label} (${need.participants} people${need.mean != null ? `, audit mean ${need.mean.toFixed(1)}` : ""})` });
      if (this.facilitator && this.client.board.phase === "agree") item.append(this.cpdForm(need));
      list.append(item);
    }
    if (!needs.length) list.append(el("li", { textContent: "No area for improvement was named by two or more people." }));
    section.append(list);
    return section;
  }

  cpdForm(need) {
    const form = el("form", { className: "inline-form" });
    const id = `cpd-${need.id.replace(/[^a-z0-9]/gi, "-")}`;
    form.append(
      el("label", { htmlFor: `${id}-title`, textContent: "CPD action" }), el("input", { id: `${id}-title`, name: "title", value: `Training: ${need.label}`, required: true }),
      el("label", { htmlFor: `${id}-owner`, textContent: "Owner" }), el("input", { id: `${id}-owner`, name: "owner", required: true }),
      el("label", { htmlFor: `${id}-due`, textContent: "By" }), el("input", { id: `${id}-due`, name: "due", type: "date" }),
      el("button", { type: "submit", textContent: "Add action" }),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = Object.fromEntries(new FormData(form));
      const result = await this.client.api("POST", "/actions", { kind: "cpd", title: data.title, owner: data.owner, due: data.due || null, theme: need.id, area: need.area || "" });
      this.announce.textContent = result.ok ? "Action added" : result.data.detail || "Not added";
      if (result.ok) this.refresh();
    });
    return form;
  }

  matches(matches, phase) {
    const section = el("section", { className: "panel" }, el("h2", { textContent: "Colleagues who can help" }));
    const list = el("ul", { className: "matches" });
    for (const match of matches) {
      if (!this.facilitator && !match.you && match.status !== "accepted") continue;
      const item = el("li");
      const need = el("p", {}, el("strong", { textContent: "Wants to improve: " }), this.noteText(match.improvement_note));
      const offer = el("p", {}, el("strong", { textContent: "Can help: " }), match.strength_note ? this.noteText(match.strength_note) : "a colleague who rated this area highly");
      const status = el("p", { className: "meta", textContent: `${match.mentor ? `${match.mentor.name} · ` : ""}${match.status}` });
      item.append(need, offer, status);
      if (this.facilitator && match.status === "suggested") {
        const ask = el("button", { type: "button", className: "secondary", textContent: "Ask them privately" });
        ask.addEventListener("click", () => this.post(`/matches/${match.id}/ask`, {}, "Asked on their phones"));
        item.append(ask);
      }
      if (this.facilitator && phase === "agree" && match.status === "accepted") item.append(this.pairForm(match));
      if (match.you && match.you.consent === "asked") item.append(this.consent(match));
      list.append(item);
    }
    if (!list.children.length) list.append(el("li", { textContent: this.facilitator ? "No matches yet." : "Nothing for you to answer." }));
    section.append(list);
    return section;
  }

  consent(match) {
    const box = el("div", { className: "consent", role: "group" });
    const question = match.you.role === "mentor"
      ? "A colleague would like to learn from you about this. Would you be happy to pair up?"
      : "A colleague could support you with this. Would you like to pair up?";
    box.setAttribute("aria-label", question);
    const yes = el("button", { type: "button", textContent: "Yes, happy to" });
    const no = el("button", { type: "button", className: "secondary", textContent: "Not this time" });
    yes.addEventListener("click", () => this.post(`/matches/${match.id}/consent`, { accept: true }, "Thank you — you said yes"));
    no.addEventListener("click", () => this.post(`/matches/${match.id}/consent`, { accept: false }, "Thank you — noted privately"));
    box.append(el("p", { textContent: question }), yes, no);
    return box;
  }

  pairForm(match) {
    const form = el("form", { className: "inline-form" });
    const id = `pair-${match.id}`;
    form.append(
      el("label", { htmlFor: `${id}-title`, textContent: "Pair focus" }), el("input", { id: `${id}-title`, name: "title", value: this.noteText(match.improvement_note).slice(0, 200), required: true }),
      el("label", { htmlFor: `${id}-due`, textContent: "Meet by" }), el("input", { id: `${id}-due`, name: "due", type: "date" }),
      el("button", { type: "submit", textContent: "Agree the pair" }),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = Object.fromEntries(new FormData(form));
      await this.post("/actions", { kind: "pair", title: data.title, owner: match.mentor?.name || "Mentor", due: data.due || null, match: match.id }, "Pair agreed");
    });
    return form;
  }

  actions(actions, title, review = false) {
    const section = el("section", { className: "panel" }, el("h2", { textContent: title }));
    const list = el("ul", { className: "actions-list" });
    for (const action of actions) {
      const item = el("li", {}, el("strong", { textContent: action.title }), ` — ${action.owner}${action.due ? `, by ${action.due}` : ""} (${action.kind === "pair" ? "peer support" : "CPD"})`);
      if (this.facilitator) {
        const id = `status-${action.id}`;
        const select = el("select", { id });
        for (const value of ["planned", "ongoing", "done", "dropped"]) select.append(el("option", { value, textContent: value, selected: value === action.status }));
        select.addEventListener("change", () => this.patch(`/actions/${action.id}`, { status: select.value }, "Status saved"));
        item.append(el("label", { htmlFor: id, className: "visually-hidden", textContent: `Status of ${action.title}` }), select);
      } else item.append(` · ${action.status}`);
      list.append(item);
    }
    if (!actions.length) list.append(el("li", { textContent: review ? "Nothing to review." : "No actions agreed yet." }));
    section.append(list);
    return section;
  }

  async post(path, body, done) {
    const result = await this.client.api("POST", path, body);
    this.announce.textContent = result.ok ? done : result.data.detail || "That did not work.";
    this.refresh();
  }

  async patch(path, body, done) {
    const result = await this.client.api("PATCH", path, body);
    this.announce.textContent = result.ok ? done : result.data.detail || "That did not work.";
  }
}
