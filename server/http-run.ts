// The trainer's HTTP routes that run an exercise: lifecycle, scenario, inject commands, notes. Thin: the
// exercise runner decides; the one error handler in http.ts answers refusals.
import type express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { HotlineError } from '../shared/errors.js';
import { EXERCISE_STATES, type ExerciseState } from '../shared/exercise-clock.js';
import type {
  InjectRequest,
  NoteAdded,
  NoteRequest,
  ProceduresRequest,
  RunState,
  ScenarioRequest,
  StateRequest,
} from '../shared/http-api.js';
import { NOTE_MAX } from '../shared/run-entries.js';
import type { ExerciseRunner } from './exercise-runner.js';
import { fields, str } from './http-input.js';
import type { TrainerClaims } from './relay-key.js';

export const SCENARIO_ROUTE = /^\/v1\/exercises\/[^/]+\/scenario$/;

export interface RunRouteDeps {
  runner: ExerciseRunner;
  trainer: (req: Request, res: Response, next: NextFunction) => Promise<void>;
  log: Logger;
}

const by = (res: Response) => (res.locals['claims'] as TrainerClaims).name;
const id = (req: Request) => str(req.params['id'], 'id');

export function registerRunRoutes(app: express.Express, deps: RunRouteDeps): void {
  const { runner, trainer, log } = deps;
  const at = '/v1/exercises/:id';

  app.get(`${at}/run`, trainer, (req, res) => {
    res.json(runner.view(id(req)) satisfies RunState);
  });
  app.post(`${at}/state`, trainer, async (req, res) => {
    const body = fields<StateRequest>(req);
    if (!(EXERCISE_STATES as readonly unknown[]).includes(body.state))
      throw new HotlineError('BAD_REQUEST', `state must be one of ${EXERCISE_STATES.join(', ')}.`);
    const c = body.compression;
    if (c !== undefined && (typeof c !== 'number' || !(c >= 1 && c <= 60)))
      throw new HotlineError('BAD_REQUEST', 'compression must be a number from 1 to 60.');
    const run = await runner.setState(id(req), by(res), body.state as ExerciseState, c);
    log.info({ exercise: run.exercise, state: run.phase, by: by(res) }, 'exercise state changed');
    res.json(run satisfies RunState);
  });
  app.post(`${at}/scenario`, trainer, async (req, res) => {
    const { scenario } = fields<ScenarioRequest>(req);
    const run = await runner.loadScenario(id(req), by(res), scenario);
    log.info({ exercise: run.exercise, injects: run.injects.length }, 'scenario loaded');
    res.json(run satisfies RunState);
  });
  app.post(`${at}/procedures`, trainer, async (req, res) => {
    const body = fields<ProceduresRequest>(req);
    const extra = Object.keys(body).find((k) => k !== 'ackDeadlinesMs' && k !== 'line');
    if (extra !== undefined)
      throw new HotlineError('BAD_REQUEST', `Unknown field ${extra}; give ackDeadlinesMs and/or line.`);
    const input = {
      ...(body.ackDeadlinesMs === undefined ? {} : { ackDeadlinesMs: body.ackDeadlinesMs }),
      ...(body.line === undefined ? {} : { line: body.line }),
    };
    const run = await runner.setProcedures(id(req), by(res), input);
    log.info(
      { exercise: run.exercise, ackDeadlinesMs: run.ackDeadlinesMs, line: run.line, by: by(res) },
      'procedures set',
    );
    res.json(run satisfies RunState);
  });
  app.post(`${at}/injects/:inject/:command`, trainer, async (req, res) => {
    const command = req.params['command'];
    if (command !== 'fire' && command !== 'hold' && command !== 'release' && command !== 'skip')
      throw new HotlineError('NOT_FOUND', 'Inject commands are fire, hold, release and skip.');
    const inject = str(req.params['inject'], 'inject');
    const run = await runner.command(id(req), by(res), inject, command);
    log.info({ exercise: run.exercise, inject, command, by: by(res) }, 'inject command');
    res.json(run satisfies RunState);
  });
  app.put(`${at}/injects/:inject`, trainer, async (req, res) => {
    const { def } = fields<InjectRequest>(req);
    res.json((await runner.edit(id(req), by(res), str(req.params['inject'], 'inject'), def)) satisfies RunState);
  });
  app.post(`${at}/injects`, trainer, async (req, res) => {
    const { def, fire } = fields<InjectRequest>(req);
    if (fire !== undefined && typeof fire !== 'boolean') throw new HotlineError('BAD_REQUEST', 'fire is a boolean.');
    res.status(201).json((await runner.add(id(req), by(res), def, fire === true)) satisfies RunState);
  });
  app.post(`${at}/notes`, trainer, async (req, res) => {
    const { text, ref } = fields<NoteRequest>(req);
    const t = typeof text === 'string' ? text.trim() : '';
    if (t.length === 0 || t.length > NOTE_MAX)
      throw new HotlineError('BAD_REQUEST', `text must be 1 to ${NOTE_MAX} characters.`);
    if (ref !== undefined && (typeof ref !== 'number' || !Number.isSafeInteger(ref) || ref < 0))
      throw new HotlineError('BAD_REQUEST', 'ref must be the idx of an entry.');
    const idx = await runner.note(id(req), by(res), t, ref as number | undefined);
    res.status(201).json({ idx } satisfies NoteAdded);
  });
}
