// Tiny DOM helpers shared by the browser consoles: build elements without innerHTML (so no markup is
// ever parsed from data), find required elements, and announce changes to screen readers.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((ev: Event) => void)>;

/**
 * Creates an element: `h('button', {class: 'btn', type: 'button', onclick: fn}, 'Send')`. Attribute values
 * that are false, null or undefined are left out; true gives an empty attribute; a function is an event
 * listener (`onclick` listens for `click`). Never sets `style`.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === 'style') throw new Error('Inline styles are forbidden by the CSP: use a class.');
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value as EventListener);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** Sets an element's text only when it changed (keeps screen readers and selections calm). */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** The element with this id, which the page must have. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`The page lacks #${id}.`);
  return el as T;
}

/**
 * A pair of visually hidden live regions. `polite` for news (an incoming message), `assertive` for what
 * must interrupt (a verification failure). Each announcement replaces the last so it is read once.
 */
export class Announcer {
  readonly #polite: HTMLElement;
  readonly #assertive: HTMLElement;

  constructor(host: HTMLElement = document.body) {
    this.#polite = h('div', {
      class: 'visually-hidden',
      'aria-live': 'polite',
      'aria-atomic': 'true',
      'data-testid': 'live-polite',
    });
    this.#assertive = h('div', {
      class: 'visually-hidden',
      'aria-live': 'assertive',
      'aria-atomic': 'true',
      'data-testid': 'live-assertive',
    });
    host.append(this.#polite, this.#assertive);
  }

  say(text: string, urgent = false): void {
    const region = urgent ? this.#assertive : this.#polite;
    // Clear first, then set a moment later, so repeating the same words is announced again.
    region.textContent = '';
    setTimeout(() => {
      region.textContent = text;
    }, 30);
  }
}
