// Translations and the translator role on a real relay (docs/PROTOCOL.md section 16): the receiving station
// translates a message into its own language once; a translator device signs translations and link
// replies only; enrolment takes the role and nothing else.
import { afterEach, describe, expect, it } from 'vitest';
import { accepted, lineFixture, logOf, verifyLog, type LineFixture } from '../helpers/line-fixture.js';
import { enrolKey, postEnrol, RawConsole, TestKey } from '../helpers/raw-console.js';

let fx: LineFixture | undefined;
const extra: RawConsole[] = [];

afterEach(async () => {
  for (const c of [fx?.bj, fx?.wa, ...extra.splice(0)]) c?.close();
  await fx?.relay.cleanup();
  fx = undefined;
});

describe('translations', () => {
  it('accepts the receiver’s translation into its own language, once; the delay is the relay time between', async () => {
    fx = await lineFixture();
    const { bj, wa, relay } = fx;
    const sent = await bj.accept({ lang: 'zh', subject: '海上事件', body: '请确认收到。' });
    const fields = {
      type: 'translation' as const,
      ref: sent.payload.id,
      refHash: sent.accepted.hash,
      lang: 'en' as const,
      subject: 'Maritime incident',
      body: 'Please acknowledge.',
    };
    // The sender cannot translate its own message; the receiver translates into its own language only.
    const bySender = await bj.submitLine({ ...fields, lang: 'zh' });
    expect(bySender.answer).toMatchObject({ type: 'rejected', code: 'UNKNOWN_REF' });
    const wrongLang = await wa.submitLine({ ...fields, lang: 'zh' });
    expect(wrongLang.answer).toMatchObject({ type: 'rejected', code: 'PROCEDURE_STATE' });
    const ok = accepted((await wa.submitLine(fields)).answer);
    const twice = await wa.submitLine(fields);
    expect(twice.answer).toMatchObject({ type: 'rejected', code: 'PROCEDURE_STATE' });
    const wrongHash = await wa.submitLine({ ...fields, refHash: 'A'.repeat(43) });
    expect(wrongHash.answer).toMatchObject({ type: 'rejected', code: 'REF_HASH_MISMATCH' });

    const v = await verifyLog(relay);
    const t = v.line.translations.get(sent.payload.id);
    expect(t).toMatchObject({ lang: 'en', body: 'Please acknowledge.', from: 'washington', idx: ok.idx });
    expect(t!.delayMs).toBe(Date.parse(ok.at) - Date.parse(sent.accepted.at));
    expect((await logOf(relay)).filter((e) => e.kind === 'translation')).toHaveLength(1);
  });

  it('refuses a translation of a message already in the station’s language (same language)', async () => {
    fx = await lineFixture();
    const { bj, wa, relay } = fx;
    const sent = await bj.accept({ lang: 'en' });
    const same = await wa.submitLine({
      type: 'translation',
      ref: sent.payload.id,
      refHash: sent.accepted.hash,
      lang: 'en',
      body: 'Same.',
    });
    expect(same.answer).toMatchObject({ type: 'rejected', code: 'PROCEDURE_STATE' });
    await verifyLog(relay);
  });

  it('a translator key translates; it may not send a message or a call (WRONG_ROLE)', async () => {
    fx = await lineFixture();
    const { bj, relay } = fx;
    const tr = await RawConsole.open(relay, await enrolKey(relay, 'washington', 'dtl', 'translator'));
    extra.push(tr);
    const keys = await relay.store.listKeys('dtl');
    expect(keys.find((k) => k.kid === tr.key!.kid)?.role).toBe('translator');
    expect(keys.filter((k) => k.role === 'operator')).toHaveLength(2);

    const msg = await tr.submit(await tr.sign(tr.message()));
    expect(msg).toMatchObject({ type: 'rejected', code: 'WRONG_ROLE' });
    const call = await tr.submitLine({
      type: 'call',
      action: 'request',
      level: 'working',
      subject: 'No',
      proposedAt: new Date().toISOString(),
    });
    expect(call.answer).toMatchObject({ type: 'rejected', code: 'WRONG_ROLE' });

    const sent = await bj.accept({ lang: 'zh', body: '内容' });
    const ok = await tr.submitLine({
      type: 'translation',
      ref: sent.payload.id,
      refHash: sent.accepted.hash,
      lang: 'en',
      body: 'Content',
    });
    accepted(ok.answer);
    const v = await verifyLog(relay);
    expect(v.keys.get(tr.key!.kid)?.role).toBe('translator');
    expect(v.line.translations.get(sent.payload.id)?.kid).toBe(tr.key!.kid);
  });

  it('enrolment takes role "translator" or none; any other role or field is BAD_REQUEST and uses no code', async () => {
    fx = await lineFixture();
    const { relay } = fx;
    const code = await relay.issueCode('beijing');
    const key = await TestKey.generate();
    for (const extraFields of [{ role: 'operator' }, { role: 'admin' }, { role: 1 }, { station: 'washington' }]) {
      const res = await postEnrol(relay, code, key, 'someone', extraFields);
      expect(res, JSON.stringify(extraFields)).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST' } });
    }
    // The code was not used by the refusals.
    const res = await postEnrol(relay, code, key, 'someone', { role: 'translator' });
    expect(res.status).toBe(201);
    const enrolled = (await logOf(relay)).filter((e) => e.kind === 'key-enrolled');
    expect(enrolled.at(-1)?.data).toMatchObject({ kid: key.kid, role: 'translator' });
    // An operator's key-enrolled entry carries no role.
    expect(enrolled[0]?.data).not.toHaveProperty('role');
    await verifyLog(relay);
  });
});
