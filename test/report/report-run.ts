// The exercise the report tests compute a report of, written offline with times the test chooses (RunLog,
// test/helpers/replay-log.ts): a scenario of five injects edited before STARTEX, STARTEX at 2x compression,
// timed and manual injects, an ad-hoc inject added and fired, messages both ways (Chinese and English), their
// receipts and the injects' receipts, two controllers' notes, a pause, a hold and a skip, a relay alarm, a
// FLASH acknowledged late, an IMMEDIATE never acknowledged, a FLASH still open at ENDEX. Beside the log, a
// plain record of what was written (`facts`), from which the tests compute the expected figures by hand.
import { v7 as uuidv7 } from 'uuid';
import type { Entry } from '../../shared/entry.js';
import type { Precedence } from '../../shared/items.js';
import type { InjectData } from '../../shared/run-entries.js';
import type { InjectDef, Scenario } from '../../shared/scenario.js';
import { SCENARIO_FORMAT } from '../../shared/scenario.js';
import type { LogKeys } from '../helpers/log-fixture.js';
import { TestKey } from '../helpers/raw-console.js';
import { RunLog } from '../helpers/replay-log.js';

export const TITLE = 'Defense Telephone Link';
export const SCENARIO_TITLE = 'Shoal at dawn: a collision scare';
export const CHEN = 'Controller Chen';
export const DIAZ = 'Controller Díaz';
/** STARTEX, ms. */
export const S = Date.parse('2026-11-29T09:01:00.000Z');
const sec = (s: number) => S + s * 1000;

const def = (over: Partial<InjectDef> & Pick<InjectDef, 'id' | 'at' | 'to' | 'precedence'>): InjectDef => ({
  from: { zh: '东部战区', en: 'Eastern Theater Command' },
  body: { zh: '一艘不明船只进入演习区域。', en: 'An unidentified vessel entered the exercise area.' },
  expectedAction: `Act on ${over.id}.`,
  ...over,
});

export const SCENARIO: Scenario = {
  format: SCENARIO_FORMAT,
  v: 1,
  title: SCENARIO_TITLE,
  summary: 'A fishing vessel and a survey ship close on a shoal before dawn.',
  compression: 2,
  injects: [
    def({
      id: 'INJ-01',
      at: '00:01:00',
      to: 'beijing',
      precedence: 'FLASH',
      subject: { zh: '不明船只接近', en: 'Unidentified vessel closing' },
      expectedAction: 'Beijing calls Washington within 10 minutes to ask about the vessel.',
      controllerNotes: 'Watch for a FLASH reply.',
    }),
    def({
      id: 'INJ-02',
      at: '00:05:00',
      to: 'washington',
      precedence: 'IMMEDIATE',
      from: { en: 'Wire service' },
      body: { en: 'A wire story reports a collision near the shoal.' },
      expectedAction: 'Washington asks Beijing to confirm.',
    }),
    def({
      id: 'INJ-03',
      at: 'manual',
      to: 'beijing',
      precedence: 'PRIORITY',
      from: { zh: '新华社' },
      body: { zh: '新华社报道：双方船只无人员伤亡。' },
      expectedAction: '北京向华盛顿通报无人员伤亡。',
    }),
    def({ id: 'INJ-04', at: '00:20:00', to: 'washington', precedence: 'ROUTINE', expectedAction: 'Log it.' }),
    def({ id: 'INJ-05', at: '00:30:00', to: 'beijing', precedence: 'PRIORITY', expectedAction: 'Wait.' }),
  ],
};

/** What INJ-02 expects after the controller's edit before STARTEX. */
export const EDITED_ACTION = 'Washington asks Beijing to confirm, at IMMEDIATE, within 15 minutes.';
export const ADHOC: InjectDef = def({
  id: 'ADHOC-1',
  at: 'manual',
  to: 'washington',
  precedence: 'FLASH',
  from: { en: 'Pacific Fleet' },
  subject: { en: 'Man overboard' },
  body: { en: 'A sailor is missing from the survey ship.' },
  expectedAction: 'Washington informs Beijing and asks for search help.',
});

export interface ItemFact {
  kind: 'message' | 'inject';
  idx: number;
  precedence: Precedence;
  to: string;
  at: number;
  deliveredAt?: number;
  ackAt?: number;
}

export interface RunFacts {
  items: ItemFact[];
  entries: Entry[];
  /** Real seconds after STARTEX of each state change: running [0, 300) at 2x, paused [300, 900), running to
   * ENDEX at 1900 at 2x. */
  endexAt: number;
  notes: { idx: number; by: string; text: string; ref?: number }[];
  injects: Record<string, { idx?: number; at?: number; firstReplyIdx?: number; firstReplyAt?: number }>;
  /** A spare Beijing key, enrolled before STARTEX and revoked during play. */
  spare: { kid: string; enrolledIdx: number; revokedIdx: number; revokedAt: number; reason: string };
}

export async function reportRun(keys: LogKeys): Promise<{ log: RunLog; facts: RunFacts }> {
  const log = await RunLog.start(keys);
  const items: ItemFact[] = [];
  const notes: RunFacts['notes'] = [];
  const by = (state: 'running' | 'paused' | 'ended', who: string, compression?: number) =>
    log.add('exercise-state', { data: { state, by: who, ...(compression ? { compression } : {}) } });
  const control = (action: string, inject: string, who: string, d?: InjectDef) =>
    log.private('inject-control', { action, inject, by: who, ...(d ? { def: d } : {}) });
  const note = async (who: string, text: string, ref?: number) => {
    const e = await log.private('note', { text, by: who, ...(ref === undefined ? {} : { ref }) });
    notes.push({ idx: e.idx, by: who, text, ...(ref === undefined ? {} : { ref }) });
  };
  /** An inject as the relay fires it: InjectData from the MSEL entry, private to its station. */
  const inject = async (d: InjectDef) => {
    const data: InjectData = {
      id: uuidv7(),
      inject: d.id,
      from: d.from,
      precedence: d.precedence,
      ...(d.subject ? { subject: d.subject } : {}),
      body: d.body,
    };
    const entry = await log.private('inject', data as unknown as Record<string, unknown>, d.to as 'beijing');
    return { entry, id: data.id };
  };
  const item = (kind: ItemFact['kind'], entry: Entry, precedence: Precedence, to: string): ItemFact => {
    const f: ItemFact = { kind, idx: entry.idx, precedence, to, at: Date.parse(entry.at) };
    items.push(f);
    return f;
  };

  await log.at(S - 50_000).private('scenario', { scenario: SCENARIO, by: CHEN });
  await log.at(S - 40_000).private('inject-control', {
    action: 'edit',
    inject: 'INJ-02',
    by: CHEN,
    def: { ...SCENARIO.injects[1]!, expectedAction: EDITED_ACTION },
  });
  const spareKey = await TestKey.generate();
  const enrolled = await log.at(S - 30_000).add('key-enrolled', {
    data: { kid: spareKey.kid, station: 'beijing', operator: 'Spare console', publicJwk: spareKey.publicJwk },
  });
  await log.at(S).add('exercise-state', { data: { state: 'running', by: CHEN, compression: 2 } });

  log.at(sec(30));
  const inj1 = await inject(SCENARIO.injects[0]!);
  const f1 = item('inject', inj1.entry, 'FLASH', 'beijing');
  await log.at(sec(31)).receipt('beijing', inj1, 'delivered');
  f1.deliveredAt = sec(31);
  const m1 = await log.at(sec(90)).message('beijing', {
    precedence: 'FLASH',
    lang: 'zh',
    subject: '请求澄清',
    body: '我方发现一艘不明船只接近浅滩，请贵方说明情况。\n请立即答复。',
  });
  const fm1 = item('message', m1.entry, 'FLASH', 'washington');
  await log.at(sec(91)).receipt('washington', m1, 'delivered');
  fm1.deliveredAt = sec(91);
  log.at(sec(150));
  const inj2 = await inject(SCENARIO.injects[1]!);
  const f2 = item('inject', inj2.entry, 'IMMEDIATE', 'washington');
  await log.at(sec(151)).receipt('washington', inj2, 'delivered');
  f2.deliveredAt = sec(151);
  await log.at(sec(160)).receipt('beijing', inj1, 'acknowledged', '收到');
  f1.ackAt = sec(160);
  await log.at(sec(200)).receipt('washington', m1, 'acknowledged', 'Checking with the fleet.');
  fm1.ackAt = sec(200);
  log.at(sec(240));
  await note(CHEN, 'Beijing asked for clarification within a minute of INJ-01.\nGood use of FLASH.', m1.entry.idx);
  const m2 = await log.at(sec(260)).message('washington', {
    precedence: 'IMMEDIATE',
    subject: 'Report of a collision',
    body: 'We have a report of a collision near the shoal. Please confirm <urgently> & advise.',
    replyTo: m1.id,
  });
  const fm2 = item('message', m2.entry, 'IMMEDIATE', 'beijing');
  await log.at(sec(262)).receipt('beijing', m2, 'delivered');
  fm2.deliveredAt = sec(262);
  log.at(sec(300));
  await by('paused', CHEN);
  log.at(sec(900));
  await by('running', DIAZ);
  log.at(sec(905));
  await control('hold', 'INJ-05', DIAZ);
  log.at(sec(910));
  await control('fire', 'INJ-03', DIAZ);
  log.at(sec(910));
  const inj3 = await inject(SCENARIO.injects[2]!);
  const f3 = item('inject', inj3.entry, 'PRIORITY', 'beijing');
  await log.at(sec(911)).receipt('beijing', inj3, 'delivered');
  f3.deliveredAt = sec(911);
  const revoked = await log.at(sec(950)).add('key-revoked', { data: { kid: spareKey.kid, reason: 'device lost' } });
  log.at(sec(1000));
  await control('skip', 'INJ-04', DIAZ);
  const m3 = await log.at(sec(1200)).message('beijing', {
    precedence: 'FLASH',
    lang: 'en',
    subject: 'No casualties',
    body: 'Both vessels report no casualties.',
  });
  const fm3 = item('message', m3.entry, 'FLASH', 'washington');
  await log.at(sec(1201)).receipt('washington', m3, 'delivered');
  fm3.deliveredAt = sec(1201);
  log.at(sec(1300));
  await control('add', 'ADHOC-1', CHEN, ADHOC);
  log.at(sec(1300));
  await control('fire', 'ADHOC-1', CHEN);
  log.at(sec(1300));
  const adhoc = await inject(ADHOC);
  const fa = item('inject', adhoc.entry, 'FLASH', 'washington');
  await log.at(sec(1301)).receipt('washington', adhoc, 'delivered');
  fa.deliveredAt = sec(1301);
  await log.at(sec(1400)).receipt('washington', adhoc, 'acknowledged');
  fa.ackAt = sec(1400);
  await log.at(sec(1600)).receipt('washington', m3, 'acknowledged');
  fm3.ackAt = sec(1600);
  await log.at(sec(1650)).receipt('washington', inj2, 'acknowledged', 'Asked Beijing.');
  f2.ackAt = sec(1650);
  await log.at(sec(1700)).add('alarm', {
    data: { code: 'SEQ_CONFLICT', kid: keys.washington.kid, seq: 3, payloadHash: 'x'.repeat(43) },
  });
  log.at(sec(1710));
  await note(DIAZ, 'Washington acknowledged the FLASH late: 6 min 40 s of real time at 2x.');
  const m4 = await log.at(sec(1800)).message('washington', {
    precedence: 'ROUTINE',
    subject: 'Summary',
    body: 'Summary to follow.',
  });
  item('message', m4.entry, 'ROUTINE', 'beijing');
  const m5 = await log.at(sec(1850)).message('beijing', {
    precedence: 'FLASH',
    lang: 'zh',
    subject: '最后通报',
    body: '演习结束前最后通报。',
  });
  const fm5 = item('message', m5.entry, 'FLASH', 'washington');
  await log.at(sec(1851)).receipt('washington', m5, 'delivered');
  fm5.deliveredAt = sec(1851);
  log.at(sec(1900));
  await by('ended', CHEN);
  return {
    log,
    facts: {
      items,
      entries: log.entries,
      endexAt: sec(1900),
      spare: {
        kid: spareKey.kid,
        enrolledIdx: enrolled.idx,
        revokedIdx: revoked.idx,
        revokedAt: sec(950),
        reason: 'device lost',
      },
      notes,
      injects: {
        'INJ-01': { idx: inj1.entry.idx, at: sec(30), firstReplyIdx: m1.entry.idx, firstReplyAt: sec(90) },
        'INJ-02': { idx: inj2.entry.idx, at: sec(150), firstReplyIdx: m2.entry.idx, firstReplyAt: sec(260) },
        'INJ-03': { idx: inj3.entry.idx, at: sec(910), firstReplyIdx: m3.entry.idx, firstReplyAt: sec(1200) },
        'ADHOC-1': { idx: adhoc.entry.idx, at: sec(1300), firstReplyIdx: m4.entry.idx, firstReplyAt: sec(1800) },
      },
    },
  };
}
