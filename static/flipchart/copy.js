// Copy-to-clipboard buttons for the personal links (falls back to selecting the text).
const buttons = document.querySelectorAll("button.copy");
for (const button of buttons) {
  button.addEventListener("click", async () => {
    // Only the last link copied says so; the visually hidden name stays in the label.
    for (const other of buttons) other.firstChild.textContent = "Copy";
    try {
      await navigator.clipboard.writeText(button.dataset.copy);
      button.firstChild.textContent = "Copied";
    } catch {
      // No clipboard (an old browser, or no permission): select it for Ctrl+C or "Copy".
      const input = button.parentElement.querySelector(".copy-source");
      input?.focus();
      input?.select();
    }
  });
}
