// `hotline report` as a user runs it (the built CLI in a child process): a valid export becomes one HTML
// file with the figures (checked against values computed here from what the test wrote) and the verification
// statement; a tampered export is refused with the verifier's fault and exit code 5, and no file is written.
// Needs `npm run build` (the CLI, and the report page whose stylesheet the file inlines).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logKeys } from '../helpers/log-fixture.js';
import { runToEnd } from '../helpers/cli.js';
import { reportRun, SCENARIO_TITLE, TITLE, type RunFacts } from './report-run.js';

/** The texts of one table row's cells (th and td), tags dropped and entities undone. */
function rowCells(html: string, id: string): string[] {
  const row = new RegExp(`<tr id="${id}">([\\s\\S]*?)</tr>`).exec(html)?.[1];
  if (row === undefined) throw new Error(`no row ${id}`);
  return [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) =>
    m[1]!
      .replace(/<[^>]+>/g, '')
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

/** A delay as the report writes one of a minute or more ("4 min 15 s"), done by hand here. */
const minSec = (ms: number) =>
  `${Math.floor(ms / 60_000)} min ${String(Math.round(ms / 1000) % 60).padStart(2, '0')} s`;

describe('hotline report', () => {
  let dir: string;
  let file: string;
  let facts: RunFacts;
  let text: string;

  beforeAll(async () => {
    if (!existsSync(path.resolve('dist/cli/main.js'))) throw new Error('Run `npm run build` first.');
    dir = mkdtempSync(path.join(tmpdir(), 'hotline-report-'));
    const run = await reportRun(await logKeys());
    facts = run.facts;
    text = await run.log.exportText();
    file = path.join(dir, 'dtl.hotline.jsonl');
    writeFileSync(file, text);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies the export, then writes the report with its figures and the verification statement', async () => {
    const out = path.join(dir, 'report.html');
    const r = await runToEnd(['report', file, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const entries = facts.entries.length;
    expect(r.stdout).toContain(`OK  ${file}: exercise dtl, ${entries} entries`);
    expect(r.stdout).toContain(`Report written to ${out}`);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain(`<h1>${TITLE}</h1>`);
    expect(html).toContain(SCENARIO_TITLE);
    // The stylesheet travels inside the file, print rules and all.
    expect(html).toMatch(/<style>[\s\S]*@page[\s\S]*<\/style>/);

    // FLASH messages, computed from what was written: deliveries and acknowledgements, entry to entry.
    const flash = facts.items.filter((i) => i.kind === 'message' && i.precedence === 'FLASH');
    const acks = flash
      .filter((i) => i.ackAt !== undefined)
      .map((i) => i.ackAt! - i.at)
      .sort((a, b) => a - b);
    expect(acks).toHaveLength(2);
    const median = (acks[0]! + acks[1]!) / 2;
    expect(rowCells(html, 'times-messages-FLASH')).toEqual([
      'FLASH',
      String(flash.length),
      String(flash.filter((i) => i.deliveredAt !== undefined).length),
      '1.00 s',
      '1.00 s',
      '1.00 s',
      '2',
      minSec(median),
      minSec(acks[1]!),
      minSec(acks[1]!),
    ]);
    // One met (1 min 50 s of real time at 2x), one late (6 min 40 s at 2x is 13 min 20 s of line time), one
    // still open at ENDEX; the IMMEDIATE never acknowledged.
    expect(rowCells(html, 'deadlines-messages-FLASH')).toEqual(['FLASH', '10 min', '1', '1', '0', '1']);
    expect(rowCells(html, 'deadlines-messages-IMMEDIATE')).toEqual(['IMMEDIATE', '30 min', '0', '0', '1', '0']);

    const last = facts.entries[entries - 1]!;
    const signatures = facts.entries.filter((e) => e.jws !== undefined).length;
    const privates = facts.entries.filter((e) => e.commit !== undefined).length;
    const statement = /<p class="statement" id="verification-statement">([\s\S]*?)<\/p>/
      .exec(html)![1]!
      .replace(/\s+/g, ' ');
    expect(statement).toContain(`${entries} entries verified (hash chain from entry 0 to entry ${last.idx})`);
    expect(statement).toContain(`${signatures} console signatures verified`);
    expect(statement).toContain(`${privates} of ${privates} private entries opened`);
    expect(html).toContain(last.hash);
    expect(html).toMatch(/Yes: ENDEX by Controller Chen at/);
    expect(html).toContain('hotline report (offline, from dtl.hotline.jsonl)');
  });

  it('writes the report to stdout with -o -, the summary to stderr', async () => {
    const r = await runToEnd(['report', file, '-o', '-']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith('<!doctype html>')).toBe(true);
    expect(r.stdout).toContain(`<h1>${TITLE}</h1>`);
    expect(r.stderr).toContain('OK  ');
  });

  it('refuses a tampered export with the verify fault and exit code 5, and writes nothing', async () => {
    // One changed word in the pause entry: its hash no longer matches.
    const bad = path.join(dir, 'tampered.jsonl');
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.includes('"state":"paused"'));
    lines[at] = lines[at]!.replace('"state":"paused"', '"state":"running"');
    writeFileSync(bad, lines.join('\n'));
    const out = path.join(dir, 'tampered.html');
    const r = await runToEnd(['report', bad, '-o', out]);
    expect(r.code).toBe(5);
    expect(r.stdout).toContain(`FAULT  ${bad} line ${at + 1} (entry ${at - 1}): CHAIN_BROKEN`);
    expect(r.stderr).toContain('No report was written.');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a truncated export (no closing checkpoint): TRUNCATED, exit code 5', async () => {
    const cut = path.join(dir, 'cut.jsonl');
    writeFileSync(cut, `${text.trimEnd().split('\n').slice(0, -1).join('\n')}\n`);
    const r = await runToEnd(['report', cut, '-o', path.join(dir, 'cut.html')]);
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/FAULT .*: TRUNCATED:/);
  });

  it('explains itself in --help, with examples', async () => {
    const r = await runToEnd(['report', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: hotline report [options] <export>');
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('hotline report dtl.jsonl -o dtl-report.html');
  });
});
