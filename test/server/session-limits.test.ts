// The per-connection limits of a session, through the fake transport: a connection with too many submits
// in flight stops being read until they are answered, and one with too many refused frames is closed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_IN_FLIGHT, MAX_REJECTIONS } from '../../server/submit-guard.js';
import { Core, FakeTransport } from '../helpers/fake-transport.js';
import { message, type TestKey } from '../helpers/raw-console.js';

/** Records what the session asks of the socket beyond sending. */
class ReadingTransport extends FakeTransport {
  readonly calls: string[] = [];
  paused = false;

  established(): void {
    this.calls.push('established');
  }

  pause(): void {
    this.calls.push('pause');
    this.paused = true;
  }

  resume(): void {
    this.calls.push('resume');
    this.paused = false;
  }
}

let core: Core;
beforeEach(async () => {
  core = await Core.start();
});
afterEach(async () => {
  await core.stop();
});

async function open(key: TestKey): Promise<ReadingTransport> {
  const transport = new ReadingTransport();
  const session = core.relay.connect(transport);
  const challenge = await transport.nextOf('challenge');
  expect(transport.calls).toEqual([]);
  session.receive(JSON.stringify({ type: 'hello', jws: await key.hello(challenge.nonce) }));
  for (;;) if ((await transport.next()).type === 'welcome') break;
  expect(transport.calls).toEqual(['established']);
  // The session is the relay's: the test feeds it through the same object.
  (transport as unknown as { session: typeof session }).session = session;
  return transport;
}

/** The next frame of `type`, past the log entries and presence frames the relay streams meanwhile. */
async function nextOf<K extends 'accepted' | 'rejected' | 'error'>(t: ReadingTransport, type: K) {
  for (;;) {
    const frame = await t.next();
    if (frame.type === 'entry' || frame.type === 'presence') continue;
    if (frame.type !== type) throw new Error(`expected ${type}, got ${JSON.stringify(frame)}`);
    return frame as Extract<typeof frame, { type: K }>;
  }
}

function sessionOf(t: ReadingTransport) {
  return (t as unknown as { session: { receive(text: string): void } }).session;
}

describe('per-connection limits', () => {
  it(`stops reading at ${MAX_IN_FLIGHT} submits in flight and reads again once half are answered`, async () => {
    const key = await core.enrol('beijing');
    await core.enrol('washington');
    const t = await open(key);
    const frames = [];
    for (let seq = 0; seq < MAX_IN_FLIGHT; seq++) {
      const payload = message({ exercise: 'dtl', from: 'beijing', to: 'washington', seq });
      frames.push(JSON.stringify({ type: 'submit', jws: await key.sign(payload) }));
    }
    for (const f of frames) sessionOf(t).receive(f);
    expect(t.calls).toEqual(['established', 'pause']);
    for (let i = 0; i < MAX_IN_FLIGHT; i++) expect((await nextOf(t, 'accepted')).seq).toBe(i);
    expect(t.calls).toEqual(['established', 'pause', 'resume']);
    expect(t.paused).toBe(false);
  });

  it(`closes a connection with TOO_MANY_REJECTIONS (4430) at its ${MAX_REJECTIONS + 1}th refused frame`, async () => {
    const t = await open(await core.enrol('beijing'));
    for (let i = 0; i < 3 * MAX_REJECTIONS; i++) sessionOf(t).receive('{"type":"nonsense"}');
    for (let i = 0; i <= MAX_REJECTIONS; i++) expect((await nextOf(t, 'rejected')).code).toBe('BAD_FRAME');
    expect(await nextOf(t, 'error')).toMatchObject({ code: 'TOO_MANY_REJECTIONS' });
    expect(t.closedWith).toEqual({ code: 4430, reason: 'TOO_MANY_REJECTIONS' });
    expect(t.afterClose).toEqual([]);
  });
});

/** A transport whose send throws once, on the first text that contains `on`. */
class BreakingTransport extends ReadingTransport {
  constructor(private on: string | undefined) {
    super();
  }

  override send(text: string | Buffer): void {
    if (this.on !== undefined && text.toString().includes(this.on)) {
      this.on = undefined;
      throw new Error('simulated: the socket broke while sending');
    }
    super.send(text);
  }
}

describe('a transport that throws while a submit is answered', () => {
  it('ends that connection with INTERNAL, logged once, and leaves no rejected promise behind', async () => {
    const key = await core.enrol('beijing');
    const transport = new BreakingTransport('"type":"rejected"');
    const session = core.relay.connect(transport);
    const challenge = await transport.nextOf('challenge');
    session.receive(JSON.stringify({ type: 'hello', jws: await key.hello(challenge.nonce) }));
    for (;;) if ((await transport.next()).type === 'welcome') break;
    // Not a JWS: refused in the admission chain, where the send of the refusal throws.
    session.receive(JSON.stringify({ type: 'submit', jws: 'not-a-compact-jws' }));
    expect(await nextOf(transport, 'error')).toMatchObject({ code: 'INTERNAL' });
    expect(await transport.waitForClose()).toEqual({ code: 1011, reason: 'INTERNAL' });
    expect(core.errors().map((r) => [r.msg, r.err?.message])).toEqual([
      ['internal error answering a submit', 'simulated: the socket broke while sending'],
    ]);
  });
});
