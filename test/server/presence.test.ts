// Presence: a station is online while at least one of its devices is connected, and only its 0 <-> 1
// transitions are announced, to every console of the exercise and to trainers watching it.
import { afterEach, describe, expect, it } from 'vitest';
import { parseServerFrame, type ServerFrame } from '../../shared/protocol.js';
import { Presence, type Member } from '../../server/presence.js';
import { Core } from '../helpers/fake-transport.js';

class FakeMember implements Member {
  readonly received: ServerFrame[] = [];

  constructor(
    readonly exercise: string,
    readonly station: string,
  ) {}

  sendText(text: string): void {
    this.received.push(parseServerFrame(text));
  }

  /** What arrived since the last call. */
  take(): ServerFrame[] {
    return this.received.splice(0);
  }
}

const online = (station: string, on: boolean): ServerFrame => ({ type: 'presence', station, online: on });

describe('Presence', () => {
  it('announces a station when its first device joins and when its last one leaves, not in between', () => {
    const p = new Presence();
    const bj1 = new FakeMember('dtl', 'beijing');
    const bj2 = new FakeMember('dtl', 'beijing');
    const wa = new FakeMember('dtl', 'washington');
    const trainer = new FakeMember('dtl', '');
    p.watch(trainer);
    p.join(wa);
    expect(wa.take()).toEqual([online('washington', true)]);
    expect(trainer.take()).toEqual([online('washington', true)]);

    p.join(bj1);
    expect([bj1.take(), wa.take(), trainer.take()]).toEqual([
      [online('beijing', true)],
      [online('beijing', true)],
      [online('beijing', true)],
    ]);
    p.join(bj2);
    expect([bj1.take(), bj2.take(), wa.take(), trainer.take()]).toEqual([[], [], [], []]);
    expect(p.online('dtl', 'beijing')).toBe(true);

    expect(p.leave(bj1)).toBe(true);
    expect([bj2.take(), wa.take(), trainer.take()]).toEqual([[], [], []]);
    expect(p.online('dtl', 'beijing')).toBe(true);

    expect(p.leave(bj2)).toBe(true);
    expect([wa.take(), trainer.take()]).toEqual([[online('beijing', false)], [online('beijing', false)]]);
    expect(p.online('dtl', 'beijing')).toBe(false);
  });

  it('keeps exercises apart, and does not count a trainer watching as a station', () => {
    const p = new Presence();
    const other = new FakeMember('drill', 'beijing');
    const trainer = new FakeMember('dtl', '');
    p.join(other);
    other.take();
    p.watch(trainer);
    p.join(new FakeMember('dtl', 'beijing'));
    expect(other.take()).toEqual([]);
    expect(trainer.take()).toEqual([online('beijing', true)]);
    expect(p.online('dtl', '')).toBe(false);
    expect(p.leave(trainer)).toBe(false);
    expect(p.online('drill', 'beijing')).toBe(true);
  });
});

describe('presence through the relay', () => {
  let core: Core | undefined;
  afterEach(async () => {
    await core?.stop();
    core = undefined;
  });

  it('tells a console whether its peer is online, and announces only 0 <-> 1 transitions', async () => {
    core = await Core.start();
    const [bjKey, waKey] = [await core.enrol('beijing'), await core.enrol('washington')];
    const wa = await core.open(waKey, 2);
    expect(wa.welcome.peer).toEqual({ station: 'beijing', online: false });

    const bj1 = await core.open(bjKey, 2);
    expect(bj1.welcome.peer).toEqual({ station: 'washington', online: true });
    expect(await wa.transport.next()).toEqual(online('beijing', true));

    // A second device of the same station: its welcome is sent after any announcement would have been.
    const bj2 = await core.open(bjKey, 2);
    expect(bj2.welcome.peer.online).toBe(true);
    expect(wa.transport.pending).toEqual([]);
    expect(bj1.transport.pending).toEqual([]);

    bj1.session.onClose();
    expect(wa.transport.pending).toEqual([]);
    bj2.session.onClose();
    expect(await wa.transport.next()).toEqual(online('beijing', false));
  });
});
