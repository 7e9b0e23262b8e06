// Presence across relays (server/presence-peers.ts): relays on one in-memory bus tell each other when a
// station's devices come and go, and send their whole state every round (in parts when it is long); a relay
// that falls silent is forgotten, and its stations go offline unless another relay holds them.
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Presence, type Member } from '../../server/presence.js';
import { PresencePeers, type PeerLink } from '../../server/presence-peers.js';
import { until } from '../helpers/relay.js';

const log = pino({ level: 'silent' });
const TIMING = { stateMs: 20, expiryMs: 120 };

/** Every relay hears every notice, its own too (as PostgreSQL delivers them), unless it is cut off. */
class Bus {
  readonly relays: { peers: PresencePeers; cut: boolean }[] = [];

  link(instance: string, hear: () => { peers: PresencePeers; cut: boolean }): PeerLink {
    return {
      instance,
      tell: async (text) => {
        if (hear().cut) return;
        for (const r of this.relays) if (!r.cut) queueMicrotask(() => r.peers.heard(text));
      },
    };
  }
}

interface TestRelay {
  presence: Presence;
  peers: PresencePeers;
  cut: boolean;
  frames: string[];
}

function member(exercise: string, station: string, frames?: string[]): Member {
  return { exercise, station, sendText: (t) => frames?.push(t) };
}

let running: TestRelay[] = [];

function relay(bus: Bus, instance: string): TestRelay {
  const r = { cut: false, frames: [] as string[] } as TestRelay;
  r.presence = new Presence((e, s, on) => r.peers.local(e, s, on));
  r.peers = new PresencePeers(
    r.presence,
    bus.link(instance, () => r),
    log,
    TIMING,
  );
  bus.relays.push(r);
  r.peers.start();
  running.push(r);
  return r;
}

afterEach(() => {
  for (const r of running) r.peers.close();
  running = [];
});

describe('presence across relays', () => {
  it('shows a station online on every relay while one of its devices is on any of them', async () => {
    const bus = new Bus();
    const [a, b] = [relay(bus, 'a'), relay(bus, 'b')];
    const watcher = member('dtl', '', b.frames);
    b.presence.watch(watcher);
    const device = member('dtl', 'beijing');
    a.presence.join(device);
    await until(() => b.presence.online('dtl', 'beijing'), 2000, 'online on B');
    expect(b.frames).toEqual([JSON.stringify({ type: 'presence', station: 'beijing', online: true })]);
    // A second device on B changes nothing anyone sees; the first one leaving A still leaves it online.
    const second = member('dtl', 'beijing');
    b.presence.join(second);
    a.presence.leave(device);
    await new Promise((r) => setTimeout(r, 3 * TIMING.stateMs));
    expect(a.presence.online('dtl', 'beijing')).toBe(true);
    expect(b.frames).toHaveLength(1);
    b.presence.leave(second);
    await until(() => !a.presence.online('dtl', 'beijing'), 2000, 'offline on A');
    expect(b.frames.at(-1)).toBe(JSON.stringify({ type: 'presence', station: 'beijing', online: false }));
  });

  it('forgets a relay that falls silent: its stations go offline within the expiry', async () => {
    const bus = new Bus();
    const [a, b] = [relay(bus, 'a'), relay(bus, 'b')];
    a.presence.join(member('dtl', 'washington'));
    await until(() => b.presence.online('dtl', 'washington'), 2000, 'online on B');
    a.cut = true; // killed, or cut off from the database: it says nothing more
    const cutAt = Date.now();
    await until(() => !b.presence.online('dtl', 'washington'), 2000, 'offline on B');
    const took = Date.now() - cutAt;
    expect(took).toBeGreaterThanOrEqual(TIMING.expiryMs - TIMING.stateMs);
    // Back: it asks, and the others learn its state again.
    a.cut = false;
    a.peers.ask();
    await until(() => b.presence.online('dtl', 'washington'), 2000, 'online again');
  });

  it('sends a long state in parts and replaces what it held: a missed "off" is corrected by the next round', async () => {
    const bus = new Bus();
    const [a, b] = [relay(bus, 'a'), relay(bus, 'b')];
    const devices = Array.from({ length: 100 }, (_, i) => member(`ex-${i}`, 'beijing'));
    for (const d of devices) a.presence.join(d);
    await until(() => devices.every((d) => b.presence.online(d.exercise, 'beijing')), 2000, 'all 100 on B');
    // A leaves while cut off (its "off" notices are lost); the next state round says the truth.
    a.cut = true;
    for (const d of devices.slice(0, 50)) a.presence.leave(d);
    a.cut = false;
    await until(() => devices.slice(0, 50).every((d) => !b.presence.online(d.exercise, 'beijing')), 2000, 'corrected');
    expect(devices.slice(50).every((d) => b.presence.online(d.exercise, 'beijing'))).toBe(true);
  });
});
