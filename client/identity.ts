// A console device's identity: its own Ed25519 key pair (made here, the private key never sent anywhere)
// and what the relay said at enrolment. Enrolment posts only the public key and the one-time code.
import { exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { HotlineError } from '../shared/errors.js';
import {
  refusal,
  type Enrolled,
  type EnrolPreview,
  type EnrolPreviewRequest,
  type EnrolRequest,
} from '../shared/http-api.js';
import { ALG, signJws, thumbprint } from '../shared/jws.js';
import { TYP, type ExerciseDef, type PublicJwk } from '../shared/items.js';

export interface Identity {
  /** The enrolled relay's base URL (http or https): the first one the console tries. */
  url: string;
  /** Other relays of the same log, tried in turn after `url` when a link fails (failover). Absent in
   * identities saved before there were alternates: those have `url` alone. */
  alternates?: string[];
  exercise: ExerciseDef;
  station: string;
  operator: string;
  kid: string;
  publicJwk: PublicJwk;
  privateKey: CryptoKey;
  relay: { kid: string; publicJwk: PublicJwk };
  /** A device enrolled only to translate (and answer link tests); absent for an operator console. */
  role?: 'translator';
}

export interface EnrolOptions {
  url: string;
  code: string;
  operator: string;
  /** Browsers keep keys non-extractable in IndexedDB; a Node console must write its key to a file. */
  extractable?: boolean;
  fetch?: typeof fetch;
  /** Enrol as a translator: the device chooses, since a translator can do less than an operator. */
  role?: 'translator';
  /** Other relays of the same log, saved with the identity (see Identity.alternates). */
  alternates?: string[];
}

/** A relay URL as the console keeps it: its origin (the WebSocket path is fixed), or BAD_REQUEST. */
export function relayOrigin(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new HotlineError('BAD_REQUEST', `Not a relay URL: "${url}" (give http://HOST:PORT or https://HOST).`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new HotlineError('BAD_REQUEST', `A relay URL is http or https, not "${url}".`);
  return u.origin;
}

/** Every relay this console may use, in the order tried: the enrolled one, its saved alternates, then
 * `extra` (given for this run); each once. */
export function relayUrls(id: Identity, extra: readonly string[] = []): string[] {
  return [...new Set([id.url, ...(id.alternates ?? []), ...extra].map(relayOrigin))];
}

/** Reads the one-time code (and `role=translator`, if the trainer asked for one) from an enrolment link's
 * #fragment (never from its path or query). */
export function codeFromLink(link: string): { url: string; code: string; role?: 'translator' } {
  const u = new URL(link);
  const fragment = new URLSearchParams(u.hash.slice(1));
  const code = fragment.get('code');
  if (!code) throw new HotlineError('BAD_REQUEST', 'The link has no #code=... fragment.');
  const role = fragment.get('role');
  if (role !== null && role !== 'translator')
    throw new HotlineError('BAD_REQUEST', `The link asks for role ${role}; only role=translator exists.`);
  return { url: u.origin, code, ...(role ? { role } : {}) };
}

/** What a code would enrol (POST /v1/enrol/preview), without using it: the code travels in the body only. */
export async function previewEnrolment(options: Pick<EnrolOptions, 'url' | 'code' | 'fetch'>): Promise<EnrolPreview> {
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(new URL('/v1/enrol/preview', options.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: options.code } satisfies EnrolPreviewRequest),
    });
  } catch (err) {
    throw new HotlineError('RELAY_UNREACHABLE', `Cannot reach the relay at ${options.url}: ${(err as Error).message}`);
  }
  if (!res.ok) throw await refusal(res);
  return (await res.json()) as EnrolPreview;
}

export async function enrol(options: EnrolOptions): Promise<Identity> {
  const pair = await generateKeyPair(ALG, { extractable: options.extractable ?? false });
  const jwk = await exportJWK(pair.publicKey);
  const publicJwk: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: jwk.x! };
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(new URL('/v1/enrol', options.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        code: options.code,
        publicJwk,
        operator: options.operator,
        ...(options.role ? { role: options.role } : {}),
      } satisfies EnrolRequest),
    });
  } catch (err) {
    throw new HotlineError('RELAY_UNREACHABLE', `Cannot reach the relay at ${options.url}: ${(err as Error).message}`);
  }
  if (!res.ok) throw await refusal(res);
  const body = (await res.json()) as Enrolled;
  const kid = await thumbprint(publicJwk);
  if (body.kid !== kid) throw new HotlineError('INTERNAL', 'The relay enrolled a different key than the one sent.');
  const url = new URL(options.url).origin;
  // The relays the answer names (a relay that predates them names none), then those given to this run; a
  // URL that is not http(s) is left out: it could not be a relay, and the relayKid check guards the rest.
  const named = Array.isArray(body.relays) ? body.relays.filter(isRelayUrl).slice(0, MAX_RELAYS) : [];
  const alternates = [...new Set([...named, ...(options.alternates ?? [])].map(relayOrigin))].filter((u) => u !== url);
  return {
    url,
    exercise: body.exercise,
    station: body.station,
    operator: options.operator,
    kid,
    publicJwk,
    privateKey: pair.privateKey,
    relay: { kid: body.relay.kid, publicJwk: body.relay.publicJwk },
    ...(options.role ? { role: options.role } : {}),
    ...(alternates.length ? { alternates } : {}),
  };
}

/** At most this many relays are taken from an enrolment answer (the relay's own limit, config relayUrls). */
const MAX_RELAYS = 8;

function isRelayUrl(u: unknown): u is string {
  if (typeof u !== 'string' || u.length > 2048) return false;
  try {
    return ['http:', 'https:'].includes(new URL(u).protocol);
  } catch {
    return false;
  }
}

export function signHello(id: Identity, nonce: string): Promise<string> {
  const payload = { exercise: id.exercise.id, station: id.station, nonce, iat: Math.floor(Date.now() / 1000) };
  return signJws(payload, id.privateKey, id.kid, TYP.hello);
}

export function peerStation(id: Identity): string {
  const [a, b] = id.exercise.stations;
  return a.id === id.station ? b.id : a.id;
}

export function roleOf(id: Identity): 'operator' | 'translator' {
  return id.role ?? 'operator';
}

/** A translator device signs translations and link replies only: refuse the rest here, before a seq is spent. */
export function requireOperator(id: Identity, what: string): void {
  if (id.role === 'translator')
    throw new HotlineError('WRONG_ROLE', `This console is enrolled as a translator: it cannot ${what}.`);
}
