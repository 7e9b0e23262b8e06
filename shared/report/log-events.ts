// The verified log read as typed events: each entry with its decoded content (a message's or receipt's signed
// payload, a private entry's revealed data). The export was verified as a whole before this runs, so a
// payload is only decoded here, never trusted more than the verifier already proved it.
import type { Entry } from '../entry.js';
import { HotlineError } from '../errors.js';
import { keyEnrolledData, keyRevokedData } from '../entry-data.js';
import type { CallPayload, LinkReplyPayload, MessagePayload, ReceiptPayload, TranslationPayload } from '../items.js';
import {
  callExpiredData,
  linkMissedData,
  linkTestData,
  type CallExpiredData,
  type LinkMissedData,
  type LinkTestData,
} from '../line-entries.js';
import {
  exerciseStateData,
  injectControlData,
  injectData,
  noteData,
  proceduresData,
  scenarioData,
  type ExerciseStateData,
  type InjectControlData,
  type InjectData,
  type NoteData,
  type ProceduresData,
  type ScenarioData,
} from '../run-entries.js';
import { inspectItem } from '../signed.js';

interface Base {
  entry: Entry;
  /** The entry's `at`, ms since the epoch: the relay's time, the only clock the report measures with. */
  at: number;
}

export type LogEvent = Base &
  (
    | { kind: 'exercise-created' }
    | { kind: 'key-enrolled'; kid: string; station: string; operator: string }
    | { kind: 'key-revoked'; kid: string; reason: string }
    | { kind: 'message'; payload: MessagePayload }
    | { kind: 'receipt'; payload: ReceiptPayload }
    | { kind: 'exercise-state'; data: ExerciseStateData }
    | { kind: 'scenario'; data: ScenarioData }
    | { kind: 'procedures'; data: ProceduresData }
    | { kind: 'inject-control'; data: InjectControlData }
    | { kind: 'inject'; to: string; data: InjectData }
    | { kind: 'note'; data: NoteData }
    | { kind: 'alarm'; data: Record<string, unknown> }
    | { kind: 'call'; payload: CallPayload }
    | { kind: 'translation'; payload: TranslationPayload }
    | { kind: 'link-reply'; payload: LinkReplyPayload }
    | { kind: 'link-test'; data: LinkTestData }
    | { kind: 'link-missed'; data: LinkMissedData }
    | { kind: 'call-expired'; data: CallExpiredData }
  );

export type EventOf<K extends LogEvent['kind']> = Extract<LogEvent, { kind: K }>;

function revealed(entry: Entry): unknown {
  // A verified export is read by exercise control, so every private entry carries its content.
  if (entry.reveal === undefined)
    throw new HotlineError('SCHEMA_INVALID', `entry ${entry.idx}: the content of this ${entry.kind} is missing`);
  return entry.reveal.data;
}

export function readEvent(entry: Entry): LogEvent {
  const at = Date.parse(entry.at);
  switch (entry.kind) {
    case 'exercise-created':
      return { entry, at, kind: entry.kind };
    case 'key-enrolled': {
      const d = keyEnrolledData.parse(entry.data);
      return { entry, at, kind: entry.kind, kid: d.kid, station: d.station, operator: d.operator };
    }
    case 'key-revoked': {
      const d = keyRevokedData.parse(entry.data);
      return { entry, at, kind: entry.kind, kid: d.kid, reason: d.reason };
    }
    case 'message':
    case 'receipt':
    case 'call':
    case 'translation':
    case 'link-reply': {
      const p = inspectItem(entry.jws ?? '').payload;
      switch (p.type) {
        case 'message':
          return { entry, at, kind: 'message', payload: p };
        case 'receipt':
          return { entry, at, kind: 'receipt', payload: p };
        case 'call':
          return { entry, at, kind: 'call', payload: p };
        case 'translation':
          return { entry, at, kind: 'translation', payload: p };
        case 'link-reply':
          return { entry, at, kind: 'link-reply', payload: p };
      }
      break;
    }
    case 'link-test':
      return { entry, at, kind: entry.kind, data: linkTestData.parse(entry.data) };
    case 'link-missed':
      return { entry, at, kind: entry.kind, data: linkMissedData.parse(entry.data) };
    case 'call-expired':
      return { entry, at, kind: entry.kind, data: callExpiredData.parse(entry.data) };
    case 'exercise-state':
      return { entry, at, kind: entry.kind, data: exerciseStateData.parse(entry.data) };
    case 'scenario':
      return { entry, at, kind: entry.kind, data: scenarioData.parse(revealed(entry)) };
    case 'procedures':
      return { entry, at, kind: entry.kind, data: proceduresData.parse(entry.data) };
    case 'inject-control':
      return { entry, at, kind: entry.kind, data: injectControlData.parse(revealed(entry)) };
    case 'inject':
      return { entry, at, kind: entry.kind, to: entry.to ?? '', data: injectData.parse(revealed(entry)) };
    case 'note':
      return { entry, at, kind: entry.kind, data: noteData.parse(revealed(entry)) };
    case 'alarm':
      return { entry, at, kind: entry.kind, data: entry.data ?? {} };
  }
}
