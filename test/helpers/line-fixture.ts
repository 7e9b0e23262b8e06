// A real relay with a raw console at each station of the default exercise, for the line's procedures
// (calls, translations, link tests), and the check every such test ends with: the whole log, as exercise
// control reads it, verifies through the consoles' own ChainVerifier.
import { expect } from 'vitest';
import { TrainerApi } from '../../client/trainer-api.js';
import { ChainVerifier } from '../../shared/chain.js';
import type { Entry } from '../../shared/entry.js';
import type { LineSettings } from '../../shared/line-entries.js';
import { enrolKey, RawConsole, type FrameOf } from './raw-console.js';
import { startTestRelay, until, type TestRelay } from './relay.js';

export interface LineFixture {
  relay: TestRelay;
  trainer: TrainerApi;
  bj: RawConsole;
  wa: RawConsole;
}

/** A relay whose dtl exercise has these line settings, with a console at each station (enrolled after). */
export async function lineFixture(line?: Partial<LineSettings>, dataDir?: string): Promise<LineFixture> {
  const relay = await startTestRelay({}, dataDir);
  const trainer = new TrainerApi(relay.url, { secret: relay.newTrainerSecret!, name: 'Controller Zhao' });
  if (line) await trainer.setProcedures('dtl', { line });
  const bj = await RawConsole.open(relay, await enrolKey(relay, 'beijing'));
  const wa = await RawConsole.open(relay, await enrolKey(relay, 'washington'));
  return { relay, trainer, bj, wa };
}

/** Every entry of the exercise, as stored. */
export async function logOf(relay: TestRelay, exercise = 'dtl'): Promise<Entry[]> {
  const head = (await relay.store.head(exercise))!;
  return (await relay.store.read(exercise, 0, head.idx + 1)).map((c) => c.entry);
}

/** Verifies the whole log as exercise control does; returns the verifier (its LineBook has the state). */
export async function verifyLog(relay: TestRelay, exercise = 'dtl'): Promise<ChainVerifier> {
  const v = new ChainVerifier({ audience: 'control' });
  for (const e of await logOf(relay, exercise)) await v.apply(e);
  return v;
}

/** Waits until the log holds an entry of `kind` matching `match`, and returns it. */
export async function waitForEntry(
  relay: TestRelay,
  kind: Entry['kind'],
  match: (e: Entry) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<Entry> {
  let found: Entry | undefined;
  await until(
    async () => {
      found = (await logOf(relay)).find((e) => e.kind === kind && match(e));
      return found !== undefined;
    },
    timeoutMs,
    `a ${kind} entry`,
  );
  return found!;
}

/** The next entry frame of `kind` a console receives. */
export function nextEntry(c: RawConsole, kind: Entry['kind'], timeoutMs?: number): Promise<Entry> {
  return c
    .waitForFrame((f): f is FrameOf<'entry'> => f.type === 'entry' && f.entry.kind === kind, timeoutMs)
    .then((f) => f.entry as Entry);
}

/** The next link test addressed to the console's own station (every console sees both stations' tests). */
export function nextTest(c: RawConsole, timeoutMs = 3_000): Promise<Entry> {
  return c
    .waitForFrame(
      (f): f is FrameOf<'entry'> =>
        f.type === 'entry' && f.entry.kind === 'link-test' && (f.entry.data as { to?: unknown }).to === c.station,
      timeoutMs,
    )
    .then((f) => f.entry as Entry);
}

/** The accepted frame of a submit, or a test failure naming the refusal. */
export function accepted<T extends { type: string }>(answer: T): Extract<T, { type: 'accepted' }> {
  expect(answer).toMatchObject({ type: 'accepted' });
  return answer as Extract<T, { type: 'accepted' }>;
}
