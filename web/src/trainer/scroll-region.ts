// A wide table in its own horizontally scrolling region (labelled and keyboard-focusable, so it scrolls
// with the arrow keys too). On a narrow screen the page itself never scrolls sideways; instead, while the
// table is wider than its region, a line above it says so and the right edge fades until the end is
// reached: without that, the cut-off columns look like the whole table.
import { h } from './dom.js';

export function scrollRegion(label: string, table: HTMLElement): HTMLElement {
  const hint = h(
    'p',
    { class: 'scroll-hint', 'aria-hidden': 'true', hidden: true },
    'Scroll sideways for more columns →',
  );
  const wrap = h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': label }, hint, table);
  const update = () => {
    const more = wrap.scrollWidth > wrap.clientWidth + 1;
    if (hint.hidden === more) hint.hidden = !more;
    wrap.classList.toggle('overflowing', more);
    wrap.classList.toggle('at-end', wrap.scrollLeft + wrap.clientWidth >= wrap.scrollWidth - 1);
  };
  // Sizes change with the viewport and with rows added later (the MSEL, the keys); the observer lets go of
  // both elements once the screen that holds them is gone.
  const observer = new ResizeObserver(update);
  observer.observe(wrap);
  observer.observe(table);
  wrap.addEventListener('scroll', update, { passive: true });
  return wrap;
}
