// The trainer console in a browser test: the check that it is built, and signing in as a newcomer does
// (name and the relay's first-start secret), up to the exercise list.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { TestRelay } from './relay.js';

const WAIT = { timeout: 10_000 };

/** Throws unless dist/web holds the built trainer console (the relay serves dist/web). */
export function requireBuiltTrainer(): void {
  const built = path.resolve('dist/web/trainer.html');
  if (!existsSync(built) || !readFileSync(built, 'utf8').includes('/assets/trainer-'))
    throw new Error('The trainer console is not built: run `npm run build` first.');
}

/** Opens the trainer console and signs in with the relay's first-start secret; resolves on the exercise list. */
export async function signInTrainer(page: Page, relay: TestRelay, name = 'Ana Controller'): Promise<void> {
  await page.goto(`${relay.url}/trainer`);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Trainer secret').fill(relay.newTrainerSecret!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Exercises', level: 1 }).waitFor(WAIT);
}
