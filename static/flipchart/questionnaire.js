// Autosave for the questionnaire: each change is sent at once through the JSON API, so nothing
// is lost if the phone locks or the tab closes. The form still works without JavaScript.
const form = document.querySelector("form[data-autosave]");
const status = form?.querySelector(".autosave-status");
const csrf = form?.querySelector("input[name=csrfmiddlewaretoken]")?.value;

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

let timer = null;
async function save() {
  status.textContent = "Saving…";
  try {
    const response = await fetch(`/api/v1/me/answers?audit=${form.dataset.audit}`, {
      method: "PUT",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      credentials: "same-origin",
      body: JSON.stringify({ answers: answersFrom(form) }),
    });
    const body = await response.json().catch(() => ({}));
    status.textContent = response.ok ? "Saved" : (body.detail || "Not saved — please try again");
  } catch {
    status.textContent = "Offline — your answers will be saved when you continue";
  }
}

if (form) {
  form.addEventListener("change", () => { clearTimeout(timer); timer = setTimeout(save, 300); });
  form.addEventListener("input", (event) => {
    if (event.target.tagName === "TEXTAREA") { clearTimeout(timer); timer = setTimeout(save, 1200); }
  });
}
