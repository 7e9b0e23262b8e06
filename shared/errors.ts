// The one table of error codes. Every rejection anywhere (HTTP, WebSocket, CLI, client) carries one of
// these codes; docs/errors.md documents each and a test keeps the two in step.

interface ErrorSpec {
  /** HTTP status when the error answers a request. */
  readonly http: number;
  /** WebSocket close code when the error ends a connection; null when it only rejects a frame. */
  readonly close: number | null;
  /** The human message used when the thrower gives none. */
  readonly message: string;
}

export const ERRORS = {
  BAD_FRAME: { http: 400, close: null, message: 'The frame is not valid JSON of a known type.' },
  FRAME_TOO_LARGE: { http: 413, close: null, message: 'The frame or request exceeds the size limit.' },
  SCHEMA_INVALID: { http: 400, close: null, message: 'The item does not match the protocol schema.' },
  BAD_JWS: { http: 400, close: null, message: 'The item is not a well-formed compact JWS.' },
  BAD_ALGORITHM: { http: 400, close: null, message: 'Only alg "Ed25519" is accepted.' },
  BAD_TYPE: { http: 400, close: null, message: 'The JWS typ does not fit where it was sent.' },
  BAD_SIGNATURE: { http: 401, close: null, message: 'The signature does not verify.' },
  UNKNOWN_KEY: { http: 401, close: null, message: 'No enrolled key has this kid.' },
  KEY_REVOKED: { http: 401, close: 4403, message: 'This key has been revoked.' },
  KEY_MISMATCH: {
    http: 403,
    close: null,
    message: 'The item is signed by another key than the one this connection authenticated.',
  },
  WRONG_EXERCISE: { http: 403, close: null, message: 'The item names another exercise than the key was enrolled for.' },
  WRONG_STATION: { http: 403, close: null, message: 'The sender is not the station this key was enrolled for.' },
  WRONG_RECIPIENT: {
    http: 400,
    close: null,
    message: 'A message must be addressed to the other station of the exercise.',
  },
  SEQ_GAP: { http: 409, close: null, message: 'The seq is not the next one expected for this key.' },
  SEQ_CONFLICT: { http: 409, close: null, message: 'This key already used this seq for a different item.' },
  ID_CONFLICT: { http: 409, close: null, message: 'An item with this id already exists in the exercise.' },
  CLOCK_SKEW: { http: 400, close: null, message: "The item's sentAt is too far from the relay's clock." },
  UNKNOWN_REF: {
    http: 400,
    close: null,
    message: 'The item refers to nothing addressed to its sender (message, inject, call request or link test).',
  },
  REF_HASH_MISMATCH: {
    http: 400,
    close: null,
    message: 'The refHash is not the log hash of the entry the item refers to.',
  },
  NOT_AUTHENTICATED: { http: 401, close: null, message: 'Send a valid hello before anything else.' },
  HELLO_INVALID: { http: 401, close: 4401, message: 'The hello does not prove possession of an enrolled key.' },
  HELLO_TIMEOUT: { http: 408, close: 4408, message: 'No valid hello within the time allowed.' },
  ORIGIN_FORBIDDEN: { http: 403, close: null, message: 'This Origin may not open a console connection.' },
  SUBPROTOCOL_REQUIRED: {
    http: 400,
    close: null,
    message: 'Request the WebSocket subprotocol hotline.v2 or hotline.v1.',
  },
  SLOW_CONSUMER: { http: 503, close: 4429, message: 'The connection fell too far behind; reconnect and resume.' },
  TOO_MANY_CONNECTIONS: { http: 429, close: null, message: 'Too many open connections from this address.' },
  TOO_MANY_HANDSHAKES: { http: 503, close: null, message: 'Too many connections are waiting for their hello.' },
  TOO_MANY_REJECTIONS: { http: 429, close: 4430, message: 'Too many refused frames on this connection.' },
  RATE_LIMITED: { http: 429, close: null, message: 'Too many failed attempts from this address; retry later.' },
  ENROLMENT_CODE_INVALID: { http: 401, close: null, message: 'This enrolment code is not known.' },
  ENROLMENT_CODE_EXPIRED: {
    http: 401,
    close: null,
    message: 'This enrolment code has expired; ask the trainer for a new one.',
  },
  ENROLMENT_CODE_USED: { http: 401, close: null, message: 'This enrolment code has already been used.' },
  KEY_ALREADY_ENROLLED: { http: 409, close: null, message: 'This public key is already enrolled.' },
  KEY_ALREADY_REVOKED: { http: 409, close: null, message: 'This key is already revoked.' },
  UNAUTHORIZED: { http: 401, close: null, message: 'A valid trainer token is required.' },
  TOKEN_EXPIRED: {
    http: 401,
    close: 4401,
    message: 'The trainer token of this observer expired; observe again with a renewed token.',
  },
  BAD_REQUEST: { http: 400, close: null, message: 'The request is not valid.' },
  NOT_FOUND: { http: 404, close: null, message: 'No such resource.' },
  EXERCISE_EXISTS: { http: 409, close: null, message: 'An exercise with this id already exists.' },
  EXERCISE_ENDED: {
    http: 409,
    close: null,
    message: 'The exercise has ended (ENDEX): the line is closed and its log is sealed.',
  },
  BAD_TRANSITION: { http: 409, close: null, message: 'The exercise cannot go to that state from the one it is in.' },
  SCENARIO_INVALID: { http: 400, close: null, message: 'The scenario file is not valid.' },
  INJECT_STATE: { http: 409, close: null, message: 'The inject cannot do that in the state it is in.' },
  PROCEDURE_STATE: {
    http: 409,
    close: null,
    message: 'The call request, link test or message this item answers does not take that answer now.',
  },
  WRONG_ROLE: { http: 403, close: null, message: "This key's role (translator) may not sign that kind of item." },
  STORE_UNAVAILABLE: { http: 503, close: 1011, message: 'The log store cannot commit; nothing was accepted.' },
  // Raised at start only: the relay refuses a damaged data file (a damage found later is STORE_UNAVAILABLE).
  STORE_CORRUPT: { http: 503, close: 1011, message: 'The data file failed its integrity check.' },
  // A relay's own command (the exercise runner) met a state another relay changed; it is checked again.
  STATE_CHANGED: {
    http: 409,
    close: null,
    message: 'The exercise changed while the command was checked; try again.',
  },
  // Raised at start only: this relay's key is not the one the shared store recorded for its log.
  RELAY_KEY_MISMATCH: { http: 503, close: 1011, message: "This relay's key is not the key of the log it serves." },
  SHUTTING_DOWN: { http: 503, close: 1001, message: 'The relay is shutting down; reconnect shortly.' },
  INTERNAL: { http: 500, close: 1011, message: 'Internal error.' },
  // Raised by consoles and verifiers, never by the relay on the wire.
  CHAIN_BROKEN: { http: 422, close: null, message: 'The log hash chain is broken.' },
  TRUNCATED: { http: 422, close: null, message: 'The log lacks entries covered by a checkpoint.' },
  BAD_CHECKPOINT: { http: 422, close: null, message: 'The checkpoint is not validly signed by the relay.' },
  COMMIT_MISMATCH: {
    http: 422,
    close: null,
    message: "A private entry's content does not match the commitment its hash covers.",
  },
  BAD_EXPORT: { http: 422, close: null, message: 'The exported log is malformed.' },
  RELAY_UNREACHABLE: { http: 503, close: null, message: 'The relay cannot be reached.' },
  CONSOLE_IN_USE: { http: 409, close: null, message: 'This console is already open in another process.' },
  WRONG_RELAY: {
    http: 502,
    close: null,
    message: 'The relay at this URL holds another relay key than the one enrolled; the console tries the next relay.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERRORS, value);
}

/** The one error base class: every expected failure is a HotlineError with a stable code. */
export class HotlineError extends Error {
  override readonly name: string = 'HotlineError';
  readonly code: ErrorCode;
  /** Extra fields a client may act on (expectedSeq, id, idx, ...). Never secrets. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message?: string, details: Record<string, unknown> = {}) {
    super(message ?? ERRORS[code].message);
    this.code = code;
    this.details = details;
  }

  get httpStatus(): number {
    return ERRORS[this.code].http;
  }
}

/** Any failure as a HotlineError: an unexpected one becomes INTERNAL. The caller that turns it into
 * INTERNAL logs the original (with its stack); the INTERNAL error carries nothing of it to a client. */
export function toHotlineError(err: unknown): HotlineError {
  if (err instanceof HotlineError) return err;
  return new HotlineError('INTERNAL');
}

/** A code without a close code of its own ends a connection only when a hello or observe fails. */
const HANDSHAKE_FAILED: number = ERRORS.HELLO_INVALID.close;

/**
 * The WebSocket close code for an error that ends a connection: the table's, else the failed handshake's.
 * A store or internal failure during a hello or an observe keeps its own 1011, so clients retry it as
 * transient instead of taking it for a refusal (4401).
 */
export function closeCodeFor(error: HotlineError): number {
  return ERRORS[error.code].close ?? HANDSHAKE_FAILED;
}
