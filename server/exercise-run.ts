// One exercise's run as exercise control sees it: lifecycle and clock, the MSEL and each inject's status,
// rebuilt from the log's control entries (with their reveals) in idx order and kept current as entries
// commit. Pure state: the runner (exercise-runner.ts) decides and appends; this only follows the log.
import type { Entry } from '../shared/entry.js';
import { ExerciseClock } from '../shared/exercise-clock.js';
import type { InjectStatus, RunState } from '../shared/http-api.js';
import {
  exerciseStateData,
  injectControlData,
  injectData,
  proceduresData,
  scenarioData,
  type ExerciseStateData,
} from '../shared/run-entries.js';
import { LineBook } from '../shared/line-book.js';
import { withLineDefaults } from '../shared/line-entries.js';
import { RunLine } from './run-line.js';
import { injectOffset, type InjectDef, type Scenario } from '../shared/scenario.js';

export interface InjectState {
  def: InjectDef;
  status: InjectStatus['status'];
  edited: boolean;
  added: boolean;
  fired?: { idx: number; at: string; id: string };
}

/** An inject entry as a receipt's reference: what the relay checks an operator's receipt against. */
export interface FiredInject {
  idx: number;
  hash: string;
  to: string;
}

export class ExerciseRun {
  readonly clock = new ExerciseClock();
  /** Call requests, link tests and translations, by the rules every verifier applies (shared/line-book.ts). */
  readonly line = new LineBook(this.clock);
  /** Keys (who is link-tested) and translations in flight, beside the LineBook (run-line.ts). */
  readonly lineState = new RunLine(this.line);
  scenario: { value: Scenario; idx: number; by: string } | undefined;
  readonly injects = new Map<string, InjectState>();
  /** Fired injects by their UUID, for receipts. */
  readonly fired = new Map<string, FiredInject>();
  #last = -1;

  constructor(readonly exercise: string) {}

  /** Applies a committed control entry once, in idx order (a replayed or older one is ignored). */
  apply(entry: Entry): void {
    if (entry.idx <= this.#last) return;
    this.#last = entry.idx;
    const data = entry.reveal?.data;
    switch (entry.kind) {
      case 'exercise-state': {
        const d = exerciseStateData.parse(entry.data) as ExerciseStateData;
        this.clock.apply({
          at: Date.parse(entry.at),
          idx: entry.idx,
          state: d.state,
          compression: d.compression ?? this.clock.compression,
          by: d.by,
        });
        return;
      }
      case 'procedures': {
        // The chain verifier refuses one after STARTEX; the runner never appends one then.
        const d = proceduresData.parse(entry.data);
        this.clock.deadlines = d.ackDeadlinesMs;
        this.line.settings = withLineDefaults(d.line);
        this.lineState.settingsAt = Date.parse(entry.at);
        return;
      }
      case 'scenario': {
        const d = scenarioData.parse(data);
        this.scenario = { value: d.scenario, idx: entry.idx, by: d.by };
        this.injects.clear();
        for (const def of d.scenario.injects)
          this.injects.set(def.id, { def, status: 'pending', edited: false, added: false });
        return;
      }
      case 'inject-control': {
        const d = injectControlData.parse(data);
        const inj = this.injects.get(d.inject);
        if (d.action === 'add' && d.def)
          this.injects.set(d.inject, { def: d.def, status: 'pending', edited: false, added: true });
        if (!inj) return;
        if (d.action === 'edit' && d.def) Object.assign(inj, { def: d.def, edited: true });
        if (d.action === 'hold') inj.status = 'held';
        if (d.action === 'release') inj.status = 'pending';
        if (d.action === 'skip') inj.status = 'skipped';
        return;
      }
      case 'inject': {
        const d = injectData.parse(data);
        this.fired.set(d.id, { idx: entry.idx, hash: entry.hash, to: entry.to! });
        const inj = this.injects.get(d.inject);
        if (inj) Object.assign(inj, { status: 'fired', fired: { idx: entry.idx, at: entry.at, id: d.id } });
        return;
      }
      case 'key-enrolled':
      case 'key-revoked':
      case 'call':
      case 'translation':
      case 'link-reply':
      case 'link-test':
      case 'link-missed':
      case 'call-expired':
        this.lineState.apply(entry);
        return;
      case 'exercise-created':
      case 'message':
      case 'receipt':
      case 'alarm':
      case 'note':
        return;
    }
  }

  /** Timed injects waiting for their time, earliest first (MSEL order breaks ties). */
  due(): { id: string; offset: number }[] {
    const out: { id: string; offset: number }[] = [];
    for (const [id, inj] of this.injects) {
      const offset = injectOffset(inj.def);
      if (inj.status === 'pending' && offset !== undefined) out.push({ id, offset });
    }
    return out.sort((a, b) => a.offset - b.offset);
  }

  view(now: number): RunState {
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    const injects: InjectStatus[] = [];
    for (const [id, inj] of this.injects) {
      const offset = injectOffset(inj.def);
      const due = inj.status === 'pending' && offset !== undefined ? this.clock.realTimeOf(offset, now) : undefined;
      injects.push({
        id,
        def: inj.def,
        status: inj.status,
        edited: inj.edited,
        added: inj.added,
        ...(due === undefined ? {} : { dueAt: new Date(due).toISOString() }),
        ...(inj.fired ? { fired: inj.fired } : {}),
      });
    }
    const s = this.scenario;
    return {
      exercise: this.exercise,
      phase: this.clock.phase,
      at: new Date(now).toISOString(),
      exerciseMs: this.clock.exerciseMs(now),
      compression: this.clock.compression,
      ackDeadlinesMs: { ...this.clock.deadlines },
      line: { ...this.line.settings },
      startex: iso(this.clock.startex),
      endex: iso(this.clock.endex),
      transitions: this.clock.transitions.map((t) => ({
        idx: t.idx,
        at: new Date(t.at).toISOString(),
        state: t.state,
        by: t.by,
        ...(t.state === 'running' ? { compression: t.compression } : {}),
      })),
      scenario: s
        ? {
            title: s.value.title,
            ...(s.value.summary === undefined ? {} : { summary: s.value.summary }),
            idx: s.idx,
            by: s.by,
          }
        : null,
      injects,
    };
  }
}
