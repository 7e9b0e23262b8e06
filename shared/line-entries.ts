// The `data` of the relay's own entries for the line's procedures (docs/PROTOCOL.md section 16), and the
// exercise's settings for them, which a `procedures` entry may carry before STARTEX. Strict: nothing rides
// along unchecked.
import { z } from 'zod';
import { B64URL_HASH, SLUG } from './items.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The line's timing rules. The call window runs on line time (shared/deadlines.ts) like every deadline; link
 * tests run on real time, because they test the real connection, not the scenario. */
export interface LineSettings {
  /** How long (line time) the awaited side has to answer a call request or a counter-proposal. */
  callWindowMs: number;
  /** How often (real time) the relay tests each station's link. */
  linkTestIntervalMs: number;
  /** How long (real time) a station's consoles have to answer a link test before it counts as missed. */
  linkTestTimeoutMs: number;
}

/** DTL practice: 48 hours to answer a call request; the Moscow–Washington practice: an hourly test. */
export const LINE_DEFAULTS: Readonly<LineSettings> = {
  callWindowMs: 48 * HOUR,
  linkTestIntervalMs: HOUR,
  linkTestTimeoutMs: MINUTE,
};

export const LINE_BOUNDS = {
  callWindowMs: { min: MINUTE, max: 14 * 24 * HOUR },
  linkTestIntervalMs: { min: 1_000, max: 24 * HOUR },
  linkTestTimeoutMs: { min: 200, max: 10 * MINUTE },
} as const satisfies Record<keyof LineSettings, { min: number; max: number }>;

const bounded = (k: keyof LineSettings) => z.int().min(LINE_BOUNDS[k].min).max(LINE_BOUNDS[k].max);

const lineSettingsShape = z.strictObject({
  callWindowMs: bounded('callWindowMs').optional(),
  linkTestIntervalMs: bounded('linkTestIntervalMs').optional(),
  linkTestTimeoutMs: bounded('linkTestTimeoutMs').optional(),
});
export type LineSettingsInput = z.infer<typeof lineSettingsShape>;

/** A procedures entry's line settings: any subset, the rest default. A test must end before the next one. */
export const lineSettings = lineSettingsShape.refine(
  (s) => withLineDefaults(s).linkTestTimeoutMs < withLineDefaults(s).linkTestIntervalMs,
  'linkTestTimeoutMs must be shorter than linkTestIntervalMs',
);

export function withLineDefaults(s: LineSettingsInput | undefined): LineSettings {
  return {
    callWindowMs: s?.callWindowMs ?? LINE_DEFAULTS.callWindowMs,
    linkTestIntervalMs: s?.linkTestIntervalMs ?? LINE_DEFAULTS.linkTestIntervalMs,
    linkTestTimeoutMs: s?.linkTestTimeoutMs ?? LINE_DEFAULTS.linkTestTimeoutMs,
  };
}

const slug = z.string().regex(SLUG);
const hash = z.string().regex(B64URL_HASH);
const uuid7 = z.uuid({ version: 'v7' });

/** The relay tests station `to`'s link: any console of that station answers with a link-reply item. */
export const linkTestData = z.strictObject({ id: uuid7, to: slug, timeoutMs: bounded('linkTestTimeoutMs') });
export type LinkTestData = z.infer<typeof linkTestData>;

/** No console of station `to` answered link test `ref` within its time. */
export const linkMissedData = z.strictObject({ ref: uuid7, refHash: hash, to: slug });
export type LinkMissedData = z.infer<typeof linkMissedData>;

/** Call request `ref` was not answered by `awaiting` within the window (line time since its last action). */
export const callExpiredData = z.strictObject({
  ref: uuid7,
  refHash: hash,
  awaiting: slug,
  windowMs: bounded('callWindowMs'),
});
export type CallExpiredData = z.infer<typeof callExpiredData>;
