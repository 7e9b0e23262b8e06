// The accessibility check the browser suites run on each screen: axe-core on the whole page, and no serious
// or critical violation (minor and moderate ones are judged by eye, not failed on).
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Fails with each serious or critical violation: its rule, impact, help and the elements it names. */
export async function axe(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = bad.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(summary, `axe on the ${screen} screen`).toEqual([]);
}
