// Autosave for the questionnaire: each change is sent at once through the JSON API, so nothing
// is lost if the phone locks or the tab closes. The form still works without JavaScript.
const form = document.querySelector("form[data-autosave]");
const status = form?.querySelector(".autosave-status");
const csrf = form?.querySelector("input[name=csrfmiddlewaretoken]")?.value;
const supportBox = form?.querySelector("input[name=support]");
const api = (path) => `/api/v1/${path}?audit=${encodeURIComponent(form.dataset.audit)}`;

function answersFrom(form) {
  const answers = [];
  for (const fieldset of form.querySelectorAll("fieldset.item")) {
    const checked = fieldset.querySelector("input[type=radio]:checked");
    if (!checked) continue;
    const statement = Number(checked.name.replace("rating-", ""));
    const comment = fieldset.querySelector("textarea")?.value ?? "";
    answers.push({ statement, rating: checked.value === "na" ? null : Number(checked.value), comment });
  }
  return answers;
}

// "I'd value support" is one key in a list covering every area: read the list, change ours.
async function supportAreas() {
  const response = await fetch(api("me"), { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`GET /me: ${response.status}`);
  const areas = new Set((await response.json()).support);
  if (supportBox.checked) areas.add(form.dataset.area);
  else areas.delete(form.dataset.area);
  return [...areas];
}

let timer = null;
let supportChanged = false;
async function save() {
  status.textContent = "Saving…";
  try {
    const body = { answers: answersFrom(form) };
    if (supportChanged && supportBox && form.dataset.area) {
      body.support = await supportAreas();
      supportChanged = false;
    }
    const response = await fetch(api("me/answers"), {
      method: "PUT",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
      credentials: "same-origin",
      body: JSON.stringify(body),
    });
    const reply = await response.json().catch(() => ({}));
    status.textContent = response.ok ? "Saved" : (reply.detail || "Not saved — please try again");
  } catch {
    status.textContent = "Offline — your answers will be saved when you continue";
  }
}

if (form) {
  form.addEventListener("change", (event) => {
    if (event.target === supportBox) supportChanged = true;
    clearTimeout(timer);
    timer = setTimeout(save, 300);
  });
  form.addEventListener("input", (event) => {
    if (event.target.tagName === "TEXTAREA") { clearTimeout(timer); timer = setTimeout(save, 1200); }
  });
}
