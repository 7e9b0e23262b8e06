import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// CI must install and test with exactly what a newcomer copies from the README.
describe('the README', () => {
  const readme = readFileSync('README.md', 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([^`]+?)\n```/g)].map((m) => m[1]!.trim());

  it('has the run command and the test command first, as the two set-up commands', () => {
    expect(blocks[0]).toBe('npm ci && npm start');
    expect(blocks[1]).toBe('apt-get update && apt-get install -y chromium && npm ci && npm test');
  });

  it('is what .ci/run does', () => {
    const ci = readFileSync('.ci/run', 'utf8');
    expect(ci).toContain(`# The README's test command: ${blocks[1]}`);
    for (const step of ['apt-get install -y -qq chromium', 'npm ci', 'npm test']) expect(ci).toContain(step);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['start']).toMatch(/serve/);
    expect(pkg.scripts['test']).toMatch(/vitest run/);
  });
});
