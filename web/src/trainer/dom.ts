// The trainer's form and status helpers, on the shared element builder (common/dom.ts: no innerHTML, no
// inline styles). No inline styles anywhere: the CSP forbids them; classes do the styling.

import { h } from '../common/dom.js';

export { append, h, replaceChildren as fill } from '../common/dom.js';

type Attrs = Parameters<typeof h>[1];

let uid = 0;
export function nextId(prefix: string): string {
  return `${prefix}-${++uid}`;
}

/** A labelled form field: <label for> + control, with an optional hint tied by aria-describedby. */
export function field(
  label: string,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  hint?: string,
): HTMLElement {
  control.id ||= nextId('f');
  const wrap = h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
  if (hint) {
    const hintId = `${control.id}-hint`;
    control.setAttribute('aria-describedby', hintId);
    wrap.append(h('p', { class: 'hint', id: hintId }, hint));
  }
  return wrap;
}

export function select(
  options: readonly (string | [value: string, label: string])[],
  value: string,
  attrs: Attrs = {},
): HTMLSelectElement {
  const el = h('select', attrs);
  for (const o of options) {
    const [v, l] = typeof o === 'string' ? [o, o] : o;
    el.append(h('option', { value: v, selected: v === value }, l));
  }
  el.value = value;
  return el;
}

/** Polite announcements (new messages, receipts) for screen readers. */
export function announce(text: string): void {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // A separate task, so the same text twice is still announced.
  setTimeout(() => (region.textContent = text), 30);
}

/** A status line that is a live region from the start, so every later text is announced. */
export function statusLine(): HTMLElement {
  return h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
}

/** Sets a status line's text and tone (the tone also shows as a text prefix, not by colour alone). */
export function status(el: HTMLElement, text: string, kind: 'info' | 'ok' | 'error' = 'info'): void {
  el.className = `status status-${kind}`;
  el.textContent = kind === 'error' ? `Error: ${text}` : text;
}

/** Fills `host` with a list of problems under a heading line (or empties it); an alert, so it is read out. */
export function showProblems(host: HTMLElement, heading: string, problems: readonly string[]): void {
  host.replaceChildren();
  host.hidden = problems.length === 0;
  if (problems.length === 0) return;
  host.append(
    h('p', { class: 'problems-title' }, heading),
    h('ul', { class: 'problems-list' }, ...problems.map((p) => h('li', {}, p))),
  );
}

/** The empty host for showProblems. */
export function problemsBox(): HTMLElement {
  return h('div', { class: 'problems', role: 'alert', hidden: true });
}
