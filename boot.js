// Loads the wasm app. A separate file (not an inline script) so the CSP needs no 'unsafe-inline'.
import init from './lantern.js';

init({ module_or_path: new URL('./lantern_bg.wasm', import.meta.url) }).catch((err) => {
  const box = document.getElementById('fatal');
  if (box) {
    box.hidden = false;
    box.setAttribute('role', 'alert');
    box.textContent = 'Lantern could not start in this browser: ' + err;
  }
  const status = document.querySelector('[data-testid="status"]');
  if (status) status.setAttribute('data-state', 'error');
});
