// Keeps the documentation in step with the code: every error code (with its HTTP status and close code) and
// every CLI exit code has a row in docs/errors.md, and every configuration option (with its environment
// variable) has a row in docs/operations.md.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../shared/errors.js';
import { ENV_NAMES } from '../../server/config.js';
import { EXIT } from '../../cli/terminal.js';

function doc(name: string): string {
  return readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');
}

/** Table rows of a Markdown document: lines that start with `|`, split into trimmed cells. */
function rows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.trimStart().startsWith('|'))
    .map((line) =>
      line
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((cell) => cell.trim()),
    );
}

describe('docs/errors.md', () => {
  const table = rows(doc('errors.md'));
  const documented = new Set(
    table.map((cells) => /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[0] ?? '')?.[1]).filter((c) => c !== undefined),
  );

  it('has a table row for every code in ERRORS', () => {
    const missing = Object.keys(ERRORS).filter((code) => !documented.has(code));
    expect(missing, 'error codes without a row in docs/errors.md').toEqual([]);
  });

  it('documents no code that ERRORS does not have', () => {
    const unknown = [...documented].filter((code) => !Object.hasOwn(ERRORS, code));
    expect(unknown, 'rows in docs/errors.md for codes that do not exist').toEqual([]);
  });

  it('gives each code the HTTP status and close code of the error table', () => {
    const wrong: string[] = [];
    for (const cells of table) {
      const code = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[0] ?? '')?.[1];
      if (code === undefined || !Object.hasOwn(ERRORS, code)) continue;
      const spec = ERRORS[code as keyof typeof ERRORS];
      if (cells[1] !== String(spec.http)) wrong.push(`${code}: HTTP ${cells[1]} (table: ${spec.http})`);
      const close = cells[2] ?? '';
      if (spec.close === null ? !close.startsWith('—') : !close.startsWith(String(spec.close))) {
        wrong.push(`${code}: close ${close} (table: ${spec.close ?? '—'})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has a row for every CLI exit code', () => {
    const missing = Object.entries(EXIT)
      .filter(([name, code]) => !table.some((cells) => cells[0] === String(code) && cells[1] === name))
      .map(([name, code]) => `${code} ${name}`);
    expect(missing, 'exit codes without a row in docs/errors.md').toEqual([]);
  });
});

describe('docs/operations.md', () => {
  const table = rows(doc('operations.md'));

  it('has a table row naming every configuration option and its environment variable', () => {
    const missing = Object.entries(ENV_NAMES)
      .filter(([key, env]) => !table.some((cells) => cells[0] === `\`${key}\`` && cells.includes(`\`${env}\``)))
      .map(([key, env]) => `${key} (${env})`);
    expect(missing, 'options without a row in docs/operations.md').toEqual([]);
  });
});
