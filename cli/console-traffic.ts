// The traffic as the terminal console prints it: one row per message of either station or exercise inject
// (with its translation, when it has one), then, once live, what changes: a new row with the deadline to
// acknowledge it by, or one line per state a row reaches. `hotline console` follows the client with it;
// the scripted console prints its rows the same way.
import type { HotlineClient, TrafficItem } from '../client/client.js';
import type { MessageState, MessageView } from '../client/conversation.js';
import { lineDeadline } from '../shared/deadlines.js';
import { dtg, zuluTime } from '../shared/dtg.js';
import { interrupts } from '../shared/precedence.js';
import { itemState, PREC_COLOR, renderInject, stationLang } from './console-exercise.js';
import { translationLines } from './console-line.js';
import { stateWords } from './console-states.js';
import { color, out } from './terminal.js';

function statesLine(v: MessageView): string {
  if (v.rejected) return color.red(`${stateWords(false, 'rejected')} ${v.rejected.code}: ${v.rejected.message}`);
  const states =
    v.direction === 'out'
      ? (['queued', 'accepted', 'delivered', 'acknowledged'] as const)
      : (['accepted', 'delivered', 'acknowledged'] as const);
  const parts = states.map(
    (s) => `${stateWords(v.direction === 'in', s)} ${v.states[s] ? zuluTime(v.states[s]) : '—'}`,
  );
  return parts.join(' · ');
}

export function renderMessage(n: number, v: MessageView): string {
  const head = `#${n}  ${PREC_COLOR[v.precedence](v.precedence.padEnd(9))} ${dtg(v.sentAt)}  ${v.from} → ${v.to}  ${v.verified ? color.green('[verified]') : color.yellow('[unverified]')}`;
  const subject = v.subject ? `${color.bold(v.subject)}: ` : '';
  return `${head}\n    ${subject}${v.body}\n    ${statesLine(v)}${v.ackNote ? `  note: ${v.ackNote}` : ''}`;
}

/** One row of the traffic: a message of either station, or an exercise inject. */
export function renderItem(n: number, item: TrafficItem, client: HotlineClient): string {
  if (item.kind === 'inject') return renderInject(n, item.view, stationLang(client));
  // A translated message shows its translation under it, on both sides.
  const t = client.line.translations.get(item.view.id);
  return `${renderMessage(n, item.view)}${t ? `\n${translationLines(t, n)}` : ''}`;
}

/** Prints the traffic and, row by row, what changes in it; remembers the state it last printed of each. */
export class TrafficPrinter {
  readonly #shown = new Map<string, string>();

  constructor(private readonly client: HotlineClient) {}

  /** Prints every row (once caught up with the log); answers them. */
  printAll(): TrafficItem[] {
    const items = this.client.traffic();
    for (const [i, item] of items.entries()) {
      out(renderItem(i + 1, item, this.client));
      this.#shown.set(item.view.id, itemState(item));
    }
    return items;
  }

  /** A row changed: a new one is printed whole (with its deadline if it awaits this station's acknowledgement),
   * a known one in one line per state it reached. */
  changed(item: TrafficItem): void {
    const client = this.client;
    const v = item.view;
    const state = itemState(item);
    const before = this.#shown.get(v.id);
    this.#shown.set(v.id, state);
    const n = client.traffic().findIndex((i) => i.view.id === v.id) + 1;
    if (before === undefined) {
      out(renderItem(n, item, client));
      const incoming = item.kind === 'inject' || item.view.direction === 'in';
      const accepted = v.states.accepted;
      const due =
        incoming && accepted && !client.lineClosed
          ? lineDeadline(client.chain.clock, v.precedence, Date.parse(accepted), Date.now())
          : undefined;
      if (due !== undefined) {
        const alert = interrupts(v.precedence) ? '\u0007!!! ' : '';
        const what =
          item.kind === 'inject' ? `${v.precedence} exercise inject` : `${v.precedence} from ${item.view.from}`;
        const by = due.dueAt === undefined ? '(the exercise clock is stopped)' : `by ${zuluTime(new Date(due.dueAt))}`;
        out((alert ? color.red : color.yellow)(`${alert}${what}: acknowledge with /ack ${n} ${by}`));
      }
    } else if (before !== state) {
      const arrow = item.kind === 'message' && item.view.direction === 'out' ? '→' : '←';
      const code = item.kind === 'message' && state === 'rejected' ? ` ${item.view.rejected?.code}` : '';
      const at = (v.states as Partial<Record<string, string>>)[state];
      const words = stateWords(arrow === '←', state as MessageState);
      out(`#${n} ${arrow} ${state}${code}: ${words} ${zuluTime(at ?? new Date())}`);
    }
  }
}
