// The terminal replay's clock and keys, on a clock the test moves: events print when the replay time reaches
// them at the chosen speed; space pauses, + and - change the speed, → and ← seek to the nearer of the next
// (previous) event and one minute, n and p by event, q quits; seeking back prints the events again.
import { describe, expect, it } from 'vitest';
import { TerminalPlayer, type PlayerIo, type TimedEvent } from '../../cli/replay-play.js';

const S = 1000;

/** A fake terminal: a clock the test advances, timers that fire as it passes them, what was written. */
function terminal(tty = true) {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let next = 0;
  const written: string[] = [];
  const statuses: (string | undefined)[] = [];
  const io: PlayerIo = {
    write: (t) => written.push(t),
    now: () => now,
    setTimer: (fn, ms) => {
      timers.push({ at: now + ms, fn, id: ++next });
      return next;
    },
    clearTimer: (h) => (timers = timers.filter((t) => t.id !== h)),
    ...(tty ? { status: (t: string | undefined) => statuses.push(t) } : {}),
  };
  return {
    io,
    written,
    statuses,
    /** Moves the clock on by `ms`, firing each timer at its time. */
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
      }
      now = end;
    },
    get pending() {
      return timers.length;
    },
  };
}

// Events at 0, 10 s, 20 s, 5 min and 5 min 30 s of log time.
const T0 = Date.parse('2026-11-29T09:00:00.000Z');
const EVENTS: TimedEvent[] = [0, 10 * S, 20 * S, 300 * S, 330 * S].map((dt, i) => ({ t: T0 + dt, text: `e${i}\n` }));

describe('terminal replay player', () => {
  it('prints each event when the replay time reaches it, at the speed asked, then ends', async () => {
    const term = terminal(false);
    const player = new TerminalPlayer(EVENTS, 10, term.io);
    const done = player.play();
    expect(term.written).toEqual(['e0\n']);
    term.advance(999);
    expect(term.written).toEqual(['e0\n']);
    term.advance(1);
    expect(term.written).toEqual(['e0\n', 'e1\n']);
    term.advance(28_000);
    expect(term.written).toEqual(['e0\n', 'e1\n', 'e2\n']);
    term.advance(5_000);
    expect(term.written.join('')).toBe('e0\ne1\ne2\ne3\ne4\n');
    expect(await done).toBe('end');
    expect(term.pending).toBe(0);
  });

  it('pauses and resumes with space, and changes speed with + and - from where it is', () => {
    const term = terminal();
    const player = new TerminalPlayer(EVENTS, 10, term.io);
    void player.play();
    term.advance(500);
    expect(player.key(' ')).toBe(true);
    expect(player.paused).toBe(true);
    expect(term.statuses.at(-1)).toMatch(/^❚❚ paused/);
    term.advance(60_000);
    expect(term.written).toEqual(['e0\n']);
    expect(player.position).toBe(T0 + 5 * S);
    player.key(' ');
    player.key('+');
    expect(player.speed).toBe(20);
    term.advance(250);
    expect(term.written).toEqual(['e0\n', 'e1\n']);
    for (let i = 0; i < 20; i++) player.key('-');
    expect(player.speed).toBe(1);
    for (let i = 0; i < 20; i++) player.key('=');
    expect(player.speed).toBe(4096);
    expect(player.key('x')).toBe(false);
  });

  it('seeks forward to the next event or by a minute, whichever is nearer, and back, printing again', async () => {
    const term = terminal();
    const player = new TerminalPlayer(EVENTS, 1, term.io);
    const done = player.play();
    player.key(' '); // paused: only keys move the replay
    player.key('\u001b[C'); // the next event (10 s) is nearer than a minute
    expect(player.position).toBe(T0 + 10 * S);
    player.key('\u001b[C');
    expect(term.written).toEqual(['e0\n', 'e1\n', 'e2\n']);
    player.key('\u001b[C'); // 4 min 40 s to the next event: one minute
    expect(player.position).toBe(T0 + 80 * S);
    expect(term.written).toHaveLength(3);
    player.key('n');
    expect(player.position).toBe(T0 + 300 * S);
    expect(term.written.at(-1)).toBe('e3\n');
    player.key('\u001b[D'); // back: the previous event (20 s) is further than a minute
    expect(player.position).toBe(T0 + 240 * S);
    player.key('p');
    expect(player.position).toBe(T0 + 20 * S);
    expect(term.written.slice(-2)).toEqual(['── back to 2026-11-29T09:00:20.000Z ──\n', 'e2\n']);
    player.key('q');
    expect(await done).toBe('quit');
    expect(term.statuses.at(-1)).toBeUndefined();
    expect(player.key(' ')).toBe(false);
  });
});
