// Makes Chromium draw every Chinese character with the web font of cjk-font.css, on every page that links
// this script (web/*.html), whatever the page's own code renders and when.
//
// Why a script: the font comes in ~100 unicode-range slices, and Chromium (156, Linux, no system CJK font)
// does not reliably load the slice a character needs. It picks slices from a few "hint" characters of each
// run of text, so a character whose slice no hint selects ("：" in "热线：模拟") is neither loaded nor drawn
// with the font (the font stacks name the family twice, which gives those characters a second pass); and text
// laid out while its slice was missing keeps its fallback after the slice arrives. Without a system CJK font,
// fallback is the empty .notdef box, and it stays. So this module asks the FontFaceSet for every Chinese
// character the page shows (text, placeholders, typed input) and, whenever slices arrive, makes the page
// shape its text again (below). test/web/cjk-font.browser.test.ts asks Chromium which font drew each Chinese
// character.

const FONT = '1em "Noto Sans SC Variable"';
/** Han ideographs, CJK symbols and punctuation (、。「」), full-width forms (，：（）): what the slices hold. */
const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/gu;

const HAS_CJK = new RegExp(CJK.source, 'u');

const requested = new Set<string>();
let queued = '';
let scheduled = false;

function note(text: string | null | undefined): void {
  if (!text) return;
  for (const ch of text.match(CJK) ?? []) {
    if (requested.has(ch)) continue;
    requested.add(ch);
    queued += ch;
  }
  if (queued !== '' && !scheduled) {
    scheduled = true;
    queueMicrotask(() => void load());
  }
}

async function load(): Promise<void> {
  scheduled = false;
  const chars = queued;
  queued = '';
  // The arrival is handled below, with every other slice's; a slice that fails to load leaves the system's
  // fonts to do what they can.
  await document.fonts.load(FONT, chars).catch(() => undefined);
}

// Whenever slices arrive (asked for here or by the page's own layout), the page's text is shaped again, under
// a font description Chromium has not shaped it under before: an unknown OpenType feature (which no font acts
// on) with a new value each time. Chromium caches shaped text per font description, so flipping back to an
// earlier one would bring back whatever it cached then, boxes included. A constructed style sheet: the CSP
// leaves CSSOM alone, and no element gets a style attribute.
const passes = new CSSStyleSheet();
document.adoptedStyleSheets = [...document.adoptedStyleSheets, passes];
let pass = 0;
document.fonts.addEventListener('loadingdone', () => {
  pass++;
  passes.replaceSync(`html, html * { font-feature-settings: 'cjkp' ${pass}; }`);
});
// Text laid out off screen (the skip link, above the top edge until it has the focus) may keep the fallback
// glyphs it was shaped with before its slice arrived, passes or not (test/web/cjk-font.browser.test.ts saw
// boxes on the focused skip link). When such an element comes into view by focus, its own text nodes are
// replaced by new ones with the same text: new nodes are laid out and shaped afresh, with the slices there now.
document.addEventListener(
  'focusin',
  (e) => {
    const el = e.target;
    if (!(el instanceof HTMLAnchorElement || el instanceof HTMLButtonElement)) return;
    for (const node of [...el.childNodes])
      if (node instanceof Text && HAS_CJK.test(node.data)) node.replaceWith(document.createTextNode(node.data));
  },
  true,
);

function noteTree(node: Node): void {
  if (node instanceof Text) note(node.data);
  else if (node instanceof Element) {
    note(node.textContent);
    for (const el of node.querySelectorAll('[placeholder]')) note(el.getAttribute('placeholder'));
    note(node.getAttribute('placeholder'));
  }
}

noteTree(document.documentElement);
new MutationObserver((records) => {
  for (const r of records) {
    if (r.type === 'characterData') note(r.target.nodeValue);
    else if (r.type === 'attributes' && r.target instanceof Element) note(r.target.getAttribute('placeholder'));
    else r.addedNodes.forEach(noteTree);
  }
}).observe(document.documentElement, {
  subtree: true,
  childList: true,
  characterData: true,
  attributeFilter: ['placeholder'],
});
// What an operator types (an IME's Chinese in the compose box) changes no node.
document.addEventListener(
  'input',
  (e) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) note(e.target.value);
  },
  true,
);
