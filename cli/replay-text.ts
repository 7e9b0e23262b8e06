// How `hotline replay` prints one event of the log: UTC time, exercise time, entry, the station it concerns,
// and what it says (precedence, subject, body on the lines below, receipts, injects from their simulated
// originator, notes, the lifecycle). Content a station never received is printed as withheld, never guessed.
import { formatExerciseTime } from '../shared/exercise-clock.js';
import type { ExerciseDef, Lang, Precedence } from '../shared/items.js';
import type { LineEvent, LogEvent } from '../shared/replay-events.js';
import { deadlinesSummary } from '../shared/precedence.js';
import { textIn } from '../shared/scenario.js';
import { shortName } from '../shared/stations.js';
import { zuluTime } from '../shared/dtg.js';
import { lineSettingsText } from '../shared/line-text.js';
import { color } from './terminal.js';

const WHO = 12;
/** Where the text of an event starts: continuation lines (a body) are indented to it. */
export const TEXT_COLUMN = 9 + 2 + 10 + 2 + 5 + 2 + WHO + 2;

const PREC_COLOR: Record<Precedence, (t: string) => string> = {
  FLASH: (t) => color.bold(color.red(t)),
  IMMEDIATE: color.yellow,
  PRIORITY: color.cyan,
  ROUTINE: (t) => t,
};

export function columnsHeader(): string {
  return color.dim(
    `${'UTC'.padEnd(9)}  ${'EX. TIME'.padEnd(10)}  ${'ENTRY'.padStart(5)}  ${'STATION'.padEnd(WHO)}  EVENT`,
  );
}

/** The event's first line (without time columns) and its continuation lines. */
function describe(def: ExerciseDef, e: LogEvent): { who: string; text: string; more: string[] } {
  const name = (s: string) => shortName(def, s);
  const lang = (s: string): Lang => def.stations.find((st) => st.id === s)?.lang ?? 'en';
  const lines = (t: string | undefined) => (t === undefined ? [] : t.split('\n'));
  switch (e.kind) {
    case 'created':
      return { who: 'relay', text: `exercise created: ${e.title} (${e.exercise})`, more: [] };
    case 'enrolment':
      return { who: name(e.station), text: `console enrolled: ${e.operator} (key ${e.kid.slice(0, 8)}…)`, more: [] };
    case 'revocation':
      return {
        who: e.station ? name(e.station) : 'relay',
        text: `key ${e.kid.slice(0, 8)}… revoked: ${e.reason}`,
        more: [],
      };
    case 'alarm':
      return { who: 'relay', text: color.red(`RELAY ALARM ${e.code} ${JSON.stringify(e.data)}`), more: [] };
    case 'state': {
      const rate = e.compression !== undefined && e.state === 'running' ? ` (${e.compression}x)` : '';
      return { who: 'control', text: color.bold(`${e.label} by ${e.by}${rate}`), more: [] };
    }
    case 'message':
      return {
        who: name(e.from),
        text: `${PREC_COLOR[e.precedence](e.precedence)} → ${name(e.to)}${e.subject ? `: ${color.bold(e.subject)}` : ''}`,
        more: lines(e.body),
      };
    case 'receipt': {
      const what = `${e.of}${e.refIdx === undefined ? '' : ` #${e.refIdx}`}`;
      return {
        who: name(e.from),
        text: `${e.receipt === 'acknowledged' ? color.green('acknowledged') : 'delivered'} ${what}${e.note ? ` “${e.note}”` : ''}`,
        more: [],
      };
    }
    case 'inject': {
      if (e.withheld)
        return {
          who: e.to ? name(e.to) : 'control',
          text: color.dim(
            `private entry: exercise inject for ${e.to ? name(e.to) : 'control'}, content withheld (commitment ${e.commit.slice(0, 10)}…)`,
          ),
          more: [],
        };
      const l = lang(e.to);
      const subject = textIn(e.subject, l);
      return {
        who: name(e.to),
        text: `${color.cyan(color.bold(`EXERCISE INJECT ${e.inject}`))} ${PREC_COLOR[e.precedence](e.precedence)} from ${textIn(e.from, l) ?? ''}${subject ? `: ${color.bold(subject)}` : ''}`,
        more: lines(textIn(e.body, l)),
      };
    }
    case 'note':
      if (e.withheld)
        return { who: 'control', text: color.dim('private entry: trainer note, content withheld'), more: [] };
      return {
        who: 'control',
        text: `${color.yellow('NOTE')} by ${e.by}${e.ref === undefined ? '' : ` (about #${e.ref})`}`,
        more: lines(e.text),
      };
    case 'scenario':
      if (e.withheld) return { who: 'control', text: color.dim('private entry: scenario, content withheld'), more: [] };
      return { who: 'control', text: `scenario loaded by ${e.by}: ${e.title} (${e.injects} injects)`, more: [] };
    case 'procedures':
      return {
        who: 'control',
        text: `procedures set by ${e.by}: deadlines ${deadlinesSummary(e.ackDeadlinesMs)}; ${lineSettingsText(e.line)}`,
        more: [],
      };
    case 'inject-control':
      if (e.withheld)
        return { who: 'control', text: color.dim('private entry: inject control, content withheld'), more: [] };
      return { who: 'control', text: `inject ${e.inject}: ${e.action} by ${e.by}`, more: [] };
    case 'call':
    case 'call-expired':
    case 'translation':
    case 'link-test':
    case 'link-reply':
    case 'link-missed':
      return lineText(e, name);
  }
}

/** The line's procedures: call requests, translations, link tests. */
function lineText(e: LineEvent, name: (s: string) => string): { who: string; text: string; more: string[] } {
  const ref = (i: number | undefined) => (i === undefined ? '' : ` #${i}`);
  switch (e.kind) {
    case 'call':
      if (e.action === 'request')
        return {
          who: name(e.from),
          text: `${color.bold('CALL REQUEST')} (${e.level}) for ${zuluTime(e.proposedAt)}: ${e.subject}`,
          more: [],
        };
      if (e.action === 'accept')
        return {
          who: name(e.from),
          text: color.green(`call${ref(e.refIdx)} accepted for ${zuluTime(e.callAt)}`),
          more: [],
        };
      if (e.action === 'propose')
        return {
          who: name(e.from),
          text: `call${ref(e.refIdx)}: proposes ${zuluTime(e.proposedAt)}${e.note ? ` “${e.note}”` : ''}`,
          more: [],
        };
      return {
        who: name(e.from),
        text: color.red(`call${ref(e.refIdx)} declined${e.note ? ` “${e.note}”` : ''}`),
        more: [],
      };
    case 'call-expired':
      return {
        who: 'relay',
        text: color.red(`call${ref(e.refIdx)} expired: ${name(e.awaiting)} did not answer`),
        more: [],
      };
    case 'translation':
      return {
        who: name(e.from),
        text: `translation (${e.lang}) of message${ref(e.refIdx)}${e.subject ? `: ${color.bold(e.subject)}` : ''}`,
        more: e.body.split('\n'),
      };
    case 'link-test':
      return { who: 'relay', text: color.dim(`link test → ${name(e.to)}`), more: [] };
    case 'link-reply':
      return {
        who: name(e.from),
        text: color.dim(`link test${ref(e.refIdx)} answered${e.rttMs === undefined ? '' : ` in ${e.rttMs} ms`}`),
        more: [],
      };
    case 'link-missed':
      return {
        who: 'relay',
        text: color.red(`LINK TEST MISSED${ref(e.refIdx)}: ${name(e.to)} did not answer`),
        more: [],
      };
  }
}

/** The event as printed: one line, then its body indented under the text; ends with a newline. */
export function eventText(def: ExerciseDef, e: LogEvent): string {
  const { who, text, more } = describe(def, e);
  const ex = e.exerciseMs === null ? 'T−' : formatExerciseTime(e.exerciseMs);
  const head = `${zuluTime(e.at)}  ${color.yellow(ex.padEnd(10))}  ${`#${e.idx}`.padStart(5)}  ${who.padEnd(WHO)}  ${text}`;
  const indent = ' '.repeat(TEXT_COLUMN);
  return [head, ...more.map((l) => `${indent}${l}`)].join('\n') + '\n';
}
