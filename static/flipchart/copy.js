// Copy-to-clipboard buttons for the personal links (falls back to selecting the text).
for (const button of document.querySelectorAll("button.copy")) {
  button.addEventListener("click", async () => {
    const text = button.dataset.copy;
    try {
      await navigator.clipboard.writeText(text);
      button.firstChild.textContent = "Copied";
    } catch {
      const input = button.parentElement.querySelector(".copy-source");
      input?.select();
    }
  });
}
