// The offline report (`hotline report`) inlines the report page's built stylesheets, and the report page also
// links the Chinese web font (web/src/common/cjk-font.css): ~100 @font-face rules whose woff2 files live on the
// relay. A self-contained file cannot reach them, so the offline report must carry none of those rules (it
// falls back to the reader's own CJK fonts: docs/report.md), while the served page keeps them.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportStylesheet } from '../../cli/report.js';
import { WEB_ROOT } from '../../server/static.js';

const page = path.join(WEB_ROOT, 'report.html');

describe.skipIf(!existsSync(page))('the offline report and the Chinese web font', () => {
  it('the served report page links the web font', () => {
    const links = [...readFileSync(page, 'utf8').matchAll(/href="\/(assets\/[^"]+\.css)"/g)].map((m) => m[1]!);
    const css = links.map((l) => readFileSync(path.join(WEB_ROOT, l), 'utf8')).join('\n');
    expect(css).toMatch(/@font-face\s*\{[^}]*font-family:\s*["']?Noto Sans SC Variable/);
    expect(css).toMatch(/url\(\/assets\/noto-sans-sc-\d+-wght-normal-[\w-]+\.woff2\)/);
  });

  it('the inlined stylesheet keeps the report styles and the CJK stack, without a single @font-face or font file', () => {
    const css = reportStylesheet();
    expect(css).toContain('@page');
    expect(css).toContain('Noto Sans SC Variable');
    expect(css).not.toContain('@font-face');
    expect(css).not.toContain('.woff2');
    expect(css.length).toBeLessThan(60_000);
  });
});
