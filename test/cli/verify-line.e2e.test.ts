// `hotline verify` (the built CLI) on an export of a real relay's log holding every kind of the line's
// procedures: call requests proposed, accepted, declined and expired, a translation, link tests answered and
// one missed. It passes and counts them; one byte changed in a call entry or in the translation is named as
// the fault of that entry; a forger who re-hashes the chain after dropping the counter-proposal is caught by
// the call rules (PROCEDURE_STATE: Beijing answers a call that awaits Washington), and one who re-hashes
// after changing the translation's text by its signature. Needs `npm run build` first (dist/cli).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HotlineClient } from '../../client/client.js';
import { GENESIS_PREV, hashEntry, type Entry } from '../../shared/entry.js';
import { runToEnd } from '../helpers/cli.js';
import { enrolClient, startTestRelay, tempDir, until, type TestRelay } from '../helpers/relay.js';

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
const payloadOf = (e: Entry) =>
  JSON.parse(Buffer.from(e.jws!.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('hotline verify: the line procedures in an export', () => {
  const dir = tempDir('hotline-verify-line-');
  const file = path.join(dir, 'dtl.jsonl');
  let relay: TestRelay;
  let lines: string[];
  const clients: HotlineClient[] = [];

  const live = async (station: string) => {
    const c = await enrolClient(relay, station);
    clients.push(c);
    const caughtUp = c.once('caughtUp');
    c.start();
    await caughtUp;
    return c;
  };

  beforeAll(async () => {
    relay = await startTestRelay();
    const api = await relay.trainer();
    await api.setProcedures('dtl', {
      line: { callWindowMs: 60_000, linkTestIntervalMs: 1_000, linkTestTimeoutMs: 500 },
    });
    const bj = await live('beijing');
    const dc = await live('washington');

    const accepted = await bj.requestCall({ level: 'principal', subject: 'Incident at sea', proposedAt: inAnHour() });
    await until(() => dc.line.calls.has(accepted), 5000, 'request 1');
    const later = new Date(Date.now() + 7_200_000).toISOString();
    await dc.answerCall(accepted, { action: 'propose', proposedAt: later, note: 'Later.' });
    await until(() => bj.line.calls.get(accepted)?.awaiting === 'beijing', 5000, 'proposal');
    await bj.answerCall(accepted, { action: 'accept', callAt: later });
    const declined = await dc.requestCall({ level: 'working', subject: 'Follow-up', proposedAt: inAnHour() });
    await until(() => bj.line.calls.has(declined), 5000, 'request 2');
    await bj.answerCall(declined, { action: 'decline', note: '不便' });

    const sent = await bj.send({ subject: '会谈', body: '请求明天上午通话。' });
    await until(() => dc.messages().some((m) => m.id === sent.id && m.hash), 5000, 'message');
    await dc.translate(sent.id, { subject: 'Talks', body: 'Request a call tomorrow morning.' });
    await until(() => bj.line.translations.has(sent.id), 5000, 'translation');
    await until(() => bj.line.health('washington').lastRttMs !== undefined, 10_000, 'a test answered by Washington');

    // STARTEX at 60x: the third request's minute of line time is one real second.
    await api.setState('dtl', { state: 'running', compression: 60 });
    const expiring = await bj.requestCall({ level: 'deputy', subject: 'Unanswered', proposedAt: inAnHour() });
    await until(() => bj.line.calls.get(expiring)?.state === 'expired', 10_000, 'expiry');
    await dc.stop();
    await until(() => bj.line.health('washington').missed > 0, 10_000, 'a missed test');
    await api.setState('dtl', { state: 'ended' });
    await until(() => bj.lineClosed, 5000, 'ENDEX');
    await bj.stop();

    const exp = await runToEnd(['export', '--url', relay.url, '-o', file], {
      env: { HOTLINE_TRAINER_SECRET: relay.newTrainerSecret! },
    });
    expect(exp.code, exp.stderr).toBe(0);
    lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    await relay.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const entries = () => lines.slice(1, -1).map((l) => JSON.parse(l) as Entry);
  /** The file line (1-based) of an entry. */
  const lineOf = (e: Entry) => e.idx + 2;

  async function verifyLines(name: string, changed: string[]) {
    const f = path.join(dir, name);
    writeFileSync(f, `${changed.join('\n')}\n`);
    return runToEnd(['verify', f]);
  }

  it('passes, and counts calls by outcome, translations and link tests', async () => {
    const kinds = new Set(entries().map((e) => e.kind));
    for (const k of ['call', 'call-expired', 'translation', 'link-test', 'link-reply', 'link-missed'])
      expect(kinds, k).toContain(k);
    const actions = entries()
      .filter((e) => e.kind === 'call')
      .map((e) => payloadOf(e)['action']);
    expect(actions).toEqual(['request', 'propose', 'accept', 'request', 'decline', 'request']);

    const json = await runToEnd(['verify', file, '--json']);
    expect(json.code, json.stdout).toBe(0);
    const report = JSON.parse(json.stdout) as {
      ok: boolean;
      calls: Record<string, number>;
      translations: number;
      linkTests: Record<string, number>;
    };
    const tests = entries().filter((e) => e.kind === 'link-test').length;
    const replies = entries().filter((e) => e.kind === 'link-reply').length;
    const misses = entries().filter((e) => e.kind === 'link-missed').length;
    expect(report).toMatchObject({
      ok: true,
      calls: { total: 3, awaiting: 0, accepted: 1, declined: 1, expired: 1 },
      translations: 1,
      linkTests: { total: tests, answered: replies, missed: misses, open: tests - replies - misses },
    });
    expect(misses).toBeGreaterThanOrEqual(1);
    expect(replies).toBeGreaterThanOrEqual(2);

    const text = await runToEnd(['verify', file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      `3 calls (1 accepted, 1 declined, 1 expired), 1 translations, ${tests} link tests (${replies} answered, ${misses} missed`,
    );
  });

  it('names the entry when one byte of a call entry or of the translation changes', async () => {
    for (const kind of ['call', 'translation'] as const) {
      const target = entries().filter((e) => e.kind === kind)[1] ?? entries().find((e) => e.kind === kind)!;
      const changed = [...lines];
      const line = changed[lineOf(target) - 1]!;
      // One character in the middle of the signed payload.
      const at = line.indexOf('.', line.indexOf('"jws":"')) + 20;
      changed[lineOf(target) - 1] = `${line.slice(0, at)}${line[at] === 'A' ? 'B' : 'A'}${line.slice(at + 1)}`;
      const bad = await verifyLines(`byte-${kind}.jsonl`, changed);
      expect(bad.code, kind).toBe(5);
      expect(bad.stdout).toMatch(
        new RegExp(
          `FAULT .* line ${lineOf(target)} \\(entry ${target.idx}\\): CHAIN_BROKEN: entry ${target.idx}: hash .* does not match its content`,
        ),
      );
    }
  });

  /** The entries with `edit` applied, every hash and prev recomputed from there on: a forger's best effort. */
  async function rechained(edit: (list: Entry[]) => Entry[]): Promise<string[]> {
    const list = edit(entries());
    const out: Entry[] = [];
    for (const [i, e] of list.entries()) {
      const { hash: _hash, reveal, ...body } = e;
      const fixed = { ...body, idx: i, prev: i === 0 ? GENESIS_PREV : out[i - 1]!.hash };
      out.push({ ...fixed, hash: await hashEntry(fixed), ...(reveal ? { reveal } : {}) });
    }
    return [lines[0]!, ...out.map((e) => JSON.stringify(e)), lines.at(-1)!];
  }

  it('catches a re-hashed log by the call rules and by the translation signature', async () => {
    const propose = entries().find((e) => e.kind === 'call' && payloadOf(e)['action'] === 'propose')!;
    const dropped = await verifyLines(
      'no-proposal.jsonl',
      await rechained((list) => list.filter((e) => e.idx !== propose.idx)),
    );
    expect(dropped.code).toBe(5);
    // The acceptance now follows the request directly: Beijing answers its own request, Washington's turn.
    expect(dropped.stdout).toMatch(
      new RegExp(
        `FAULT .* line ${lineOf(propose)} \\(entry ${propose.idx}\\): PROCEDURE_STATE: .*awaits washington's answer, not beijing's`,
      ),
    );

    const translation = entries().find((e) => e.kind === 'translation')!;
    const forged = await verifyLines(
      'forged-translation.jsonl',
      await rechained((list) =>
        list.map((e) => {
          if (e.idx !== translation.idx) return e;
          const [h, p, s] = e.jws!.split('.');
          const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as Record<string, unknown>;
          payload['body'] = 'Cancel the call.';
          return { ...e, jws: `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}` };
        }),
      ),
    );
    expect(forged.code).toBe(5);
    expect(forged.stdout).toMatch(
      new RegExp(`FAULT .* line ${lineOf(translation)} \\(entry ${translation.idx}\\): BAD_SIGNATURE`),
    );
  });
});
