// The landing page (web/index.html) says only what is true. What "true" means here: every feature it lists
// names a document and a section of it that exist; every link opens a page the relay serves; the deadlines
// it states are the ones the consoles apply (shared/precedence.ts); the line's procedures that are not built
// (call requests, link tests, translation) are not claimed until the protocol documents them; the commands
// it shows exist with the options it shows; and its sample of `hotline serve` matches a real first start.
// Needs the built relay and pages: run `npm run build` first (npm test does).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACK_DEADLINES, deadlineText } from '../../shared/precedence.js';
import { run, runToEnd } from '../helpers/cli.js';
import { startTestRelay, tempDir, type TestRelay } from '../helpers/relay.js';

const html = readFileSync(path.resolve('web/index.html'), 'utf8');
const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));

// The page is formatted by prettier, which may break a tag before its closing ">": the patterns allow it.

/** Text without tags, entities decoded (the page uses only these three). */
function decode(fragment: string): string {
  return fragment
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** As `decode`, whitespace collapsed. */
function text(fragment: string): string {
  return decode(fragment).replace(/\s+/g, ' ').trim();
}

/** The items of every feature list: `<ul class="features">…</ul>`. */
function featureItems(): string[] {
  const lists = [...main.matchAll(/<ul class="features"[^>]*>([\s\S]*?)<\/ul>/g)].map((m) => m[1]!);
  return lists.flatMap((l) => [...l.matchAll(/<li\s*>([\s\S]*?)<\/li\s*>/g)].map((m) => m[1]!));
}

/** The headings of a Markdown document, without the hashes and backticks. */
function headings(doc: string): string[] {
  return readFileSync(doc, 'utf8')
    .split('\n')
    .filter((l) => /^#{1,4} /.test(l))
    .map((l) => l.replace(/^#+ /, '').replace(/`/g, '').trim());
}

describe('the landing page says only what is true', () => {
  it('names, for every feature it lists, a document and a section of it that exist', () => {
    const items = featureItems();
    expect(items.length).toBeGreaterThanOrEqual(8);
    for (const item of items) {
      const cites = [...item.matchAll(/<cite class="doc"\s*>([\s\S]*?)<\/cite\s*>/g)].map((m) => text(m[1]!));
      expect(cites, text(item)).toHaveLength(1);
      const [file, section] = cites[0]!.split(' § ') as [string, string | undefined];
      expect(existsSync(path.resolve(file)), `${file} exists`).toBe(true);
      expect(section, `${cites[0]} names a section`).toBeTruthy();
      expect(headings(file), `${file} has the section “${section}”`).toContain(section!.replace(/`/g, ''));
    }
  });

  it('states the acknowledgement deadlines the consoles apply, for every precedence', () => {
    const stated = text(main.match(/<span class="deadlines"\s*>([\s\S]*?)<\/span\s*>/)?.[1] ?? '');
    expect(stated).toBe(ACK_DEADLINES.map(([p, ms]) => `${p} within ${deadlineText(ms)}`).join(', '));
  });

  it('claims none of the line procedures that the protocol does not describe yet', () => {
    const protocol = readFileSync(path.resolve('docs/PROTOCOL.md'), 'utf8');
    const page = text(main);
    for (const [name, pattern] of [
      ['call requests', /call request/i],
      ['link tests', /link test/i],
      ['translation', /translat/i],
      ['voice calls', /voice|video/i],
    ] as const) {
      if (!pattern.test(protocol)) expect(page, `the page claims ${name}`).not.toMatch(pattern);
    }
  });
});

describe('what the landing page points to exists', () => {
  let relay: TestRelay;
  const dir = tempDir('hotline-landing-');

  beforeAll(async () => {
    if (!existsSync(path.resolve('dist/cli/main.js')) || !existsSync(path.resolve('dist/web/index.html')))
      throw new Error('Not built: run `npm run build` first.');
    relay = await startTestRelay();
  });

  afterAll(async () => {
    await relay?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('links only to pages the relay serves, and the served page is this one', async () => {
    const hrefs = [...main.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of new Set(hrefs)) {
      const res = await fetch(new URL(href, relay.url));
      expect(res.status, href).toBe(200);
      expect(res.headers.get('content-type'), href).toMatch(/text\/html/);
    }
    const served = await (await fetch(relay.url)).text();
    expect(text(served)).toContain(text(main.match(/<p class="lede">([\s\S]*?)<\/p>/)![1]!));
  });

  it('shows commands that exist, with the options it shows', async () => {
    const help = async (...args: string[]) => {
      const r = await runToEnd([...args, '--help'], { cwd: dir });
      expect(r.code, `hotline ${args.join(' ')} --help`).toBe(0);
      return r.stdout;
    };
    const consoleHelp = await help('console');
    expect(consoleHelp).toMatch(/--link <link>/);
    expect(consoleHelp).toMatch(/--operator <name>/);
    expect(main).toContain("hotline console --link '&lt;link&gt;' --operator '&lt;your name&gt;'");
    expect(await help('verify')).toMatch(/verify \[options\] <file>/);
    expect(await help('serve')).toMatch(/serve/);
  });

  it('samples a real first start of `hotline serve`, line by line', async () => {
    const sample = decode(main.match(/<pre class="command serve-sample"><code>([\s\S]*?)<\/code><\/pre>/)![1]!);
    const sampleLines = sample.split('\n');
    expect(sampleLines[0]).toBe('hotline serve');
    expect(sample).toContain('Terminal console:');
    const serve = run(['serve', '--data', path.join(dir, 'data'), '--port', '0', '--log-level', 'warn'], { cwd: dir });
    let printed: string;
    try {
      await serve.waitFor(/Terminal console:.*\n/);
      printed = serve.stdout();
    } finally {
      serve.child.kill('SIGTERM');
      expect(await serve.exited).toBe(0);
    }
    // What varies from start to start (address, data directory, secret, codes) is "…" or an example value in
    // the sample; the words and the layout are the same.
    const shape = (line: string) =>
      line
        .replace(/http:\/\/[^/\s]+/g, 'http://HOST')
        .replace(/\(data: [^)]*\)/, '(data: DIR)')
        .replace(/hts_\S+/, 'hts_SECRET')
        .replace(/#code=\S+/, '#code=CODE')
        .trimEnd();
    const real = printed.trimEnd().split('\n').map(shape);
    const shown = sampleLines.slice(1).map(shape);
    expect(shown).toEqual(real);
  });
});
