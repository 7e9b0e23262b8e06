// The express adapter: JSON API for trainers and enrolment, health and metrics. Thin: every decision is
// made by the relay core or the exercise service; errors go through the one error handler below.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { HotlineError, toHotlineError } from '../shared/errors.js';
import type {
  EnrolPreview,
  EnrolPreviewRequest,
  EnrolRequest,
  Enrolled,
  ErrorBody,
  ExerciseCreated,
  ExerciseDetail,
  ExerciseList,
  IssueCodeRequest,
  IssuedCode,
  Liveness,
  Readiness,
  RelayDescription,
  RevokeRequest,
  Revoked,
  TokenRequest,
  TrainerToken,
} from '../shared/http-api.js';
import { iJsonViolation } from '../shared/strict-json.js';
import { LIMITS } from '../shared/items.js';
import type { Exercises } from './exercises.js';
import type { Metrics } from './metrics.js';
import type { Relay } from './relay.js';
import type { RelayKey, TrainerClaims } from './relay-key.js';
import { AddressLimiter } from './rate-limit.js';
import { serveWeb } from './static.js';
import type { Store } from './store/types.js';
import { checkTrainerSecret, signedInBeforeReset } from './trainer-secret.js';
import { fields, str, trainerNameOf } from './http-input.js';
import { registerRunRoutes, SCENARIO_ROUTE } from './http-run.js';
import type { ExerciseRunner } from './exercise-runner.js';
import { MAX_SCENARIO_BYTES } from '../shared/scenario.js';

export interface HttpDeps {
  relay: Pick<Relay, 'checkReady' | 'exercise'>;
  exercises: Exercises;
  runner: ExerciseRunner;
  store: Store;
  key: RelayKey;
  metrics: Metrics;
  log: Logger;
  tokenTtlSeconds: number;
  enrolmentTtlSeconds: number;
  /** Failed requests per remote address and minute on POST /v1/auth/token, and on POST /v1/enrol and
   * /v1/enrol/preview together. */
  authFailuresPerMinute: number;
}

/** Addresses whose failures are remembered, per route: bounded whatever clients do. */
const LIMITED_ADDRESSES = 10_000;

export function createHttpApp(deps: HttpDeps): express.Express {
  const { relay, exercises, store, key, metrics, log } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // A scenario file is the one body larger than a frame (shared/scenario.ts MAX_SCENARIO_BYTES).
  const small = express.json({ limit: LIMITS.frameBytes, verify: refuseNonIJson });
  const large = express.json({ limit: MAX_SCENARIO_BYTES + 1024, verify: refuseNonIJson });
  app.use((req, res, next) => (SCENARIO_ROUTE.test(req.path) ? large : small)(req, res, next));
  app.use((_req, res, next) => {
    if (!_req.path.startsWith('/assets/')) res.set('Cache-Control', 'no-store');
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('Referrer-Policy', 'no-referrer');
    next();
  });

  const trainer = async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9._-]{10,4096})$/.exec(header);
    if (!match) throw new HotlineError('UNAUTHORIZED');
    res.locals['claims'] = await key.verifyToken(match[1]!);
    next();
  };

  app.get('/livez', (_req, res) => {
    res.json({ status: 'ok' } satisfies Liveness);
  });
  app.get('/readyz', async (_req, res) => {
    if (!(await relay.checkReady()))
      throw new HotlineError('STORE_UNAVAILABLE', 'Not ready: the store cannot commit, or the relay is shutting down.');
    res.json({ status: 'ready' } satisfies Readiness);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.get('/v1/relay', (_req, res) => {
    res.json({ kid: key.kid, publicJwk: key.publicJwk, relays: [...exercises.relays] } satisfies RelayDescription);
  });
  /** Guesses of the trainer secret or of enrolment codes: once an address's failures fill the minute, every
   * request it makes to that route is refused with 429 and Retry-After until the minute is over. */
  const failureLimit = () => {
    const limiter = new AddressLimiter({
      limit: deps.authFailuresPerMinute,
      windowMs: 60_000,
      maxAddresses: LIMITED_ADDRESSES,
      now: Date.now,
    });
    return (req: Request, res: Response, next: NextFunction) => {
      const address = req.socket.remoteAddress ?? '';
      try {
        limiter.check(address);
      } catch (err) {
        if (err instanceof HotlineError) res.set('Retry-After', String(err.details['retryAfterSeconds']));
        throw err;
      }
      res.on('finish', () => {
        if (res.statusCode >= 400 && res.statusCode < 500) limiter.fail(address);
      });
      next();
    };
  };

  app.post('/v1/auth/token', failureLimit(), async (req, res) => {
    const body = fields<TokenRequest>(req);
    const secret = str(body.secret, 'secret');
    const name = body.name === undefined ? undefined : trainerNameOf(body.name);
    if (!(await checkTrainerSecret(store, secret)))
      throw new HotlineError('UNAUTHORIZED', 'The trainer secret is wrong.');
    res.json((await key.signToken('trainer', deps.tokenTtlSeconds, name)) satisfies TrainerToken);
  });
  app.post('/v1/auth/renew', trainer, async (_req, res) => {
    const claims = res.locals['claims'] as TrainerClaims;
    if (await signedInBeforeReset(store, claims.authTime)) {
      throw new HotlineError(
        'UNAUTHORIZED',
        'The trainer secret was reset since this session signed in: sign in again.',
      );
    }
    res.json((await key.renewToken(claims, deps.tokenTtlSeconds)) satisfies TrainerToken);
  });
  // One limiter for both: a code guessed through the preview costs the address as much as one guessed by
  // enrolling, so the look-up adds no guesses.
  const codeGuesses = failureLimit();
  app.post('/v1/enrol/preview', codeGuesses, async (req, res) => {
    res.json((await exercises.previewEnrolment(fields<EnrolPreviewRequest>(req))) satisfies EnrolPreview);
  });
  app.post('/v1/enrol', codeGuesses, async (req, res) => {
    const enrolled = await exercises.enrol(fields<EnrolRequest>(req));
    log.info({ exercise: enrolled.exercise.id, station: enrolled.station, kid: enrolled.kid }, 'console enrolled');
    res.status(201).json(enrolled satisfies Enrolled);
  });

  app.get('/v1/exercises', trainer, async (_req, res) => {
    res.json({ exercises: await exercises.list() } satisfies ExerciseList);
  });
  app.post('/v1/exercises', trainer, async (req, res) => {
    // The definition as sent, whatever it is: the schema check names what is wrong with it.
    const input: unknown = req.body;
    const created = await exercises.create(input);
    log.info({ exercise: created.def.id }, 'exercise created');
    res.status(201).json(created satisfies ExerciseCreated);
  });
  app.get('/v1/exercises/:id', trainer, async (req, res) => {
    const id = str(req.params['id'], 'id');
    const rec = await store.getExercise(id);
    if (!rec) throw new HotlineError('NOT_FOUND', `No exercise ${id}.`);
    res.json({ ...rec, keys: await store.listKeys(id) } satisfies ExerciseDetail);
  });
  app.post('/v1/exercises/:id/enrolment-codes', trainer, async (req, res) => {
    const body = fields<IssueCodeRequest>(req);
    const ttl = body.ttlSeconds ?? deps.enrolmentTtlSeconds;
    // Not a number is refused by issueCode's range check, after the exercise and station are checked.
    const ttlSeconds = typeof ttl === 'number' ? ttl : Number.NaN;
    const issued = await exercises.issueCode(str(req.params['id'], 'id'), str(body.station, 'station'), ttlSeconds);
    log.info(
      { exercise: issued.exercise, station: issued.station, expiresAt: issued.expiresAt },
      'enrolment code issued',
    );
    res.status(201).json(issued satisfies IssuedCode);
  });
  app.post('/v1/exercises/:id/keys/:kid/revoke', trainer, async (req, res) => {
    const { reason } = fields<RevokeRequest>(req);
    const why = typeof reason === 'string' ? reason : 'revoked by trainer';
    res.json(
      (await exercises.revoke(str(req.params['id'], 'id'), str(req.params['kid'], 'kid'), why)) satisfies Revoked,
    );
  });
  app.get('/v1/exercises/:id/export', trainer, async (req, res) => {
    const id = str(req.params['id'], 'id');
    await relay.exercise(id);
    res.type('application/x-ndjson').set('Content-Disposition', `attachment; filename="${id}.hotline.jsonl"`);
    for await (const line of exercises.export(id)) res.write(line);
    res.end();
  });

  registerRunRoutes(app, { runner: deps.runner, trainer, log });

  serveWeb(app, exercises.relays);
  app.use((_req, _res) => {
    throw new HotlineError('NOT_FOUND');
  });
  // The one error handler: a stable code, a human message, the status from the error table.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = bodyParserError(err) ?? toHotlineError(err);
    if (e.code === 'INTERNAL') log.error({ err }, 'internal error');
    metrics.rejected.inc({ code: e.code });
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(e.httpStatus).json({ code: e.code, message: e.message, ...e.details } satisfies ErrorBody);
  });
  return app;
}

/** Request bodies are as strict as signed items (RFC 7493 I-JSON): a repeated member is refused, not
 * resolved by its last value, and so is a string that is not Unicode. Malformed JSON is left to the
 * parser, which reports it. */
function refuseNonIJson(_req: unknown, _res: unknown, buf: Buffer): void {
  const text = buf.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return;
  }
  const violation = iJsonViolation(text, value);
  if (violation) throw new HotlineError('BAD_REQUEST', `The request body ${violation.why} (RFC 7493 I-JSON).`);
}

function bodyParserError(err: unknown): HotlineError | undefined {
  if (err instanceof HotlineError) return err;
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large')
    return new HotlineError(
      'FRAME_TOO_LARGE',
      `Request bodies are limited to ${LIMITS.frameBytes} bytes (a scenario file to ${MAX_SCENARIO_BYTES}).`,
    );
  if (type === 'entity.parse.failed') return new HotlineError('BAD_REQUEST', 'The request body is not valid JSON.');
  if (typeof type === 'string') return new HotlineError('BAD_REQUEST');
  return undefined;
}
