// Entry point of /console (a module script: the CSP allows no inline script).
import { boot } from './app.js';

boot().catch((err: unknown) => {
  const main = document.getElementById('main');
  if (main) {
    const p = document.createElement('p');
    p.className = 'form-error';
    p.setAttribute('role', 'alert');
    p.textContent = `The console could not start: ${(err as Error).message}`;
    main.replaceChildren(p);
  }
  throw err;
});
