// The web trainer's session and live observer against a real relay, in Node: the session renews its token
// before it expires without disturbing the page, and the observer, closed by the relay when its old token
// runs out (TOKEN_EXPIRED), reconnects with the renewed one and goes on from its last applied idx: every
// entry exactly once, in order, including those committed while it was disconnected.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import type { HotlineClient } from '../../client/client.js';
import type { LinkState } from '../../client/connection.js';
import { nodeSocket } from '../../client/node/ws-socket.js';
import type { HotlineError } from '../../shared/errors.js';
import type { ExerciseDef } from '../../shared/items.js';
import { TrainerSession as Session, type TokenStore } from '../../web/src/trainer/session.js';
import { Observer } from '../../web/src/trainer/observer.js';
import { startPair, startTestRelay, until, type TestRelay } from '../helpers/relay.js';
import { nowSeconds, tokenForger, type Forge } from '../helpers/trainer-tokens.js';

const KEY = 'hotline.trainer.session';

class MapStore implements TokenStore {
  readonly map = new Map<string, string>();
  getItem(k: string): string | null {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.map.set(k, v);
  }
  removeItem(k: string): void {
    this.map.delete(k);
  }
}

let relay: TestRelay;
let forge: Forge;
let def: ExerciseDef;
let clients: HotlineClient[] = [];
let observer: Observer | undefined;
let session: Session | undefined;

beforeEach(async () => {
  relay = await startTestRelay();
  forge = await tokenForger(relay.dataDir);
  def = (await (await relay.trainer()).exercise('dtl')).def;
});

afterEach(async () => {
  observer?.stop();
  session?.signOut();
  for (const c of clients) await c.stop();
  clients = [];
  await relay.cleanup();
});

/** A session holding a hand-made token that expires in `seconds`, and the listener calls it makes. */
async function shortSession(seconds: number, authTime = nowSeconds()) {
  const store = new MapStore();
  const exp = nowSeconds() + seconds;
  const token = await forge({ exp, auth_time: authTime });
  store.setItem(KEY, JSON.stringify({ token, expiresAt: new Date(exp * 1000).toISOString() }));
  session = new Session(relay.url, store);
  const changes: boolean[] = [];
  session.onChange((signedIn) => changes.push(signedIn));
  const renewals: (string | undefined)[] = [];
  session.onRenewed(() => renewals.push(session!.expiresAt));
  return { session, token, changes, renewals };
}

function watch(s: Session) {
  observer = new Observer(def, () => s.token, relay.url, nodeSocket());
  const links: LinkState[] = [];
  const fatal: HotlineError[] = [];
  observer.on('link', (l) => links.push(l));
  observer.on('fatal', (e) => fatal.push(e));
  observer.start();
  return { observer, links, fatal };
}

const idxs = (o: Observer) => o.records.map((r) => r.entry.idx);

describe('trainer session renewal and the live observer', () => {
  it('renews quietly, and the observer continues across its token expiry with no entry twice or missing', async () => {
    const { session: s, token: first, changes, renewals } = await shortSession(3);
    const { beijing, washington } = await startPair(relay);
    clients.push(beijing, washington);
    const { observer: o, links, fatal } = watch(s);
    await until(() => o.link.state === 'open', 5_000, 'observer open');

    await beijing.send({ body: 'before the renewal' });
    await until(() => o.conversations[0].list().length === 1, 5_000, 'first message observed');

    await until(() => s.token !== undefined && s.token !== first, 5_000, 'token renewed');
    const renewed = decodeJwt(s.token!);
    expect(renewed.auth_time).toBe(decodeJwt(first).auth_time);
    // What shows the expiry hears of the renewal, with the new expiry.
    await until(() => renewals.length > 0, 5_000, 'renewal announced');
    expect(renewals[0]).toBe(s.expiresAt);

    // The relay ends the observer at the first token's expiry; a message sent while it is away must still
    // arrive once it is back.
    await until(() => links.some((l) => l.state === 'reconnecting'), 6_000, 'observer closed at expiry');
    expect(links.find((l) => l.state === 'reconnecting')).toMatchObject({ reason: 'TOKEN_EXPIRED' });
    await washington.send({ body: 'while the observer reconnects' });
    await until(() => o.link.state === 'open', 5_000, 'observer open again');
    await beijing.send({ body: 'after the reconnect' });

    const head = async () => (await (await relay.trainer()).exercise('dtl')).head.idx;
    await until(async () => o.lastIdx === (await head()), 5_000, 'observer caught up');
    expect(idxs(o)).toEqual([...Array(o.lastIdx + 1).keys()]);
    expect([...o.conversations[0].list()].map((m) => m.body).sort()).toEqual(
      ['after the reconnect', 'before the renewal', 'while the observer reconnects'].sort(),
    );
    expect(o.broken).toBeUndefined();
    expect(fatal).toEqual([]);
    // The page was never told: nothing re-rendered, nothing signed out.
    expect(changes).toEqual([]);
  });

  it('when the relay refuses to renew (session over 12 h), signs out at expiry with its reason; the observer stops', async () => {
    const { session: s, changes } = await shortSession(3, nowSeconds() - 12 * 3600 - 10);
    const { observer: o, fatal } = watch(s);
    await until(() => o.link.state === 'open', 5_000, 'observer open');
    await until(() => changes.length > 0, 8_000, 'signed out');
    expect(changes).toEqual([false]);
    expect(s.reason).toMatch(/12 hours/);
    await until(() => fatal.length > 0, 5_000, 'observer stopped');
    expect(fatal[0]?.code).toBe('UNAUTHORIZED');
    expect(o.link.state).toBe('offline');
  });
});
