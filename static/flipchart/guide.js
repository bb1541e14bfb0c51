// The guide's step page: the reflection note saves itself as the leader types. Without
// JavaScript the same form posts normally. The CSRF token comes from the form's hidden input.
const form = document.querySelector("form[data-autosave-note]");
const textarea = form?.querySelector("textarea");
const status = form?.querySelector("[data-note-status]");
const csrf = form?.querySelector("input[name=csrfmiddlewaretoken]")?.value;

let lastSaved = textarea?.value ?? "";
let timer = null;
let queue = Promise.resolve();

async function send() {
  const text = textarea.value;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      credentials: "same-origin",
      body: new FormData(form),
    });
    const body = await response.json().catch(() => ({}));
    if (response.ok) lastSaved = text;
    status.textContent = body.status || (response.ok ? "Saved" : "Not saved — please try again");
  } catch {
    status.textContent = "Not saved: you seem to be offline. Keep this page open and try again.";
  }
}

// Saves run one after another, so an older text never overwrites a newer one.
function save({ force = false } = {}) {
  clearTimeout(timer);
  if (!force && textarea.value === lastSaved) return queue;
  queue = queue.then(send);
  return queue;
}

if (form && textarea && status) {
  textarea.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(save, 800);
  });
  textarea.addEventListener("blur", () => save());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    save({ force: true });
  });
  // Leaving the page mid-sentence: a beacon still carries the form (token included).
  window.addEventListener("pagehide", () => {
    if (textarea.value !== lastSaved) navigator.sendBeacon(form.action, new FormData(form));
  });
}
