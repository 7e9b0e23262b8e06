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
  /** The relay's base URL (http or https). */
  url: string;
  exercise: ExerciseDef;
  station: string;
  operator: string;
  kid: string;
  publicJwk: PublicJwk;
  privateKey: CryptoKey;
  relay: { kid: string; publicJwk: PublicJwk };
}

export interface EnrolOptions {
  url: string;
  code: string;
  operator: string;
  /** Browsers keep keys non-extractable in IndexedDB; a Node console must write its key to a file. */
  extractable?: boolean;
  fetch?: typeof fetch;
}

/** Reads the one-time code from an enrolment link's #fragment (never from its path or query). */
export function codeFromLink(link: string): { url: string; code: string } {
  const u = new URL(link);
  const code = new URLSearchParams(u.hash.slice(1)).get('code');
  if (!code) throw new HotlineError('BAD_REQUEST', 'The link has no #code=... fragment.');
  return { url: u.origin, code };
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
      body: JSON.stringify({ code: options.code, publicJwk, operator: options.operator } satisfies EnrolRequest),
    });
  } catch (err) {
    throw new HotlineError('RELAY_UNREACHABLE', `Cannot reach the relay at ${options.url}: ${(err as Error).message}`);
  }
  if (!res.ok) throw await refusal(res);
  const body = (await res.json()) as Enrolled;
  const kid = await thumbprint(publicJwk);
  if (body.kid !== kid) throw new HotlineError('INTERNAL', 'The relay enrolled a different key than the one sent.');
  return {
    url: new URL(options.url).origin,
    exercise: body.exercise,
    station: body.station,
    operator: options.operator,
    kid,
    publicJwk,
    privateKey: pair.privateKey,
    relay: { kid: body.relay.kid, publicJwk: body.relay.publicJwk },
  };
}

export function signHello(id: Identity, nonce: string): Promise<string> {
  const payload = { exercise: id.exercise.id, station: id.station, nonce, iat: Math.floor(Date.now() / 1000) };
  return signJws(payload, id.privateKey, id.kid, TYP.hello);
}

export function peerStation(id: Identity): string {
  const [a, b] = id.exercise.stations;
  return a.id === id.station ? b.id : a.id;
}
