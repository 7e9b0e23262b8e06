// The terminal console's commands and live lines for the line's procedures: /call, /calls, /accept,
// /propose, /decline, /translate, /link; a call request or answer, an expiry, a missed link test and a
// translation printed as they are verified. A translator-role console takes /translate and reading only.
import type { HotlineClient } from '../client/client.js';
import { HotlineError } from '../shared/errors.js';
import {
  callChangeLine,
  callList,
  linkHealthLine,
  linkMissedLine,
  parseCallTime,
  parseLevel,
  renderCall,
  translationLines,
} from './console-line.js';
import { color, out } from './terminal.js';

export const LINE_HELP = `  /call LEVEL TIME SUBJECT   request a call: LEVEL principal|deputy|working, TIME HH:MM (UTC) or ISO
  /calls             the call requests, whose turn it is, the window left (line time)
  /accept N [TIME]   accept call #N (at the time proposed, or TIME)
  /propose N TIME [NOTE]   propose another time for call #N       /decline N [NOTE]   decline call #N
  /translate N TEXT  translate incoming message #N into this station's language (/subject sets its subject)
  /link              link tests: last test, round trip and misses, for both stations`;

export const TRANSLATOR_HELP = `This console is enrolled as a TRANSLATOR: it shows the messages and translates them; it cannot send,
acknowledge or answer calls. Link tests are answered by themselves.
  /translate N TEXT  translate incoming message #N (/subject TEXT first for a subject)
  /list  /calls  /link  /status  /help  /quit`;

/** What a translator console may do: read, translate, leave. */
export const TRANSLATOR_COMMANDS = new Set(['help', 'list', 'status', 'calls', 'link', 'translate', 'subject', 'quit']);

const words = (arg: string) => arg.split(/\s+/).filter(Boolean);

function callAt(client: HotlineClient, nText: string | undefined) {
  const n = nText !== undefined && /^\d+$/.test(nText) ? Number(nText) : NaN;
  const call = callList(client)[n - 1];
  if (!call) throw new HotlineError('BAD_REQUEST', `no call #${nText ?? ''}; /calls lists them`);
  return call;
}

export interface LineCommandContext {
  /** The subject set with /subject, taken (and cleared) by /translate. */
  takeSubject(): string | undefined;
}

export function lineCommands(
  client: HotlineClient,
  ctx: LineCommandContext,
): Record<string, (arg: string) => Promise<void> | void> {
  return {
    calls: () => {
      const calls = callList(client);
      if (calls.length === 0) return out('no call requests');
      for (const c of calls) out(renderCall(client, c));
    },
    link: () => {
      for (const s of [client.station, client.peer]) out(linkHealthLine(client, s));
    },
    call: async (arg) => {
      const [level, time, ...subject] = words(arg);
      if (!level || !time || subject.length === 0)
        throw new HotlineError(
          'BAD_REQUEST',
          'usage: /call LEVEL TIME SUBJECT (e.g. /call deputy 14:00 Incident at sea)',
        );
      await client.requestCall({
        level: parseLevel(level),
        proposedAt: parseCallTime(time),
        subject: subject.join(' '),
      });
      out(color.dim('call request queued'));
    },
    accept: async (arg) => {
      const [n, time] = words(arg);
      const call = callAt(client, n);
      await client.answerCall(call.id, { action: 'accept', callAt: time ? parseCallTime(time) : call.proposedAt });
    },
    propose: async (arg) => {
      const [n, time, ...note] = words(arg);
      const call = callAt(client, n);
      if (!time) throw new HotlineError('BAD_REQUEST', 'usage: /propose N TIME [NOTE]');
      const text = note.join(' ');
      await client.answerCall(call.id, {
        action: 'propose',
        proposedAt: parseCallTime(time),
        ...(text ? { note: text } : {}),
      });
    },
    decline: async (arg) => {
      const [n, ...note] = words(arg);
      const call = callAt(client, n);
      const text = note.join(' ');
      await client.answerCall(call.id, { action: 'decline', ...(text ? { note: text } : {}) });
    },
    translate: async (arg) => {
      const [n, ...body] = words(arg);
      const item = /^\d+$/.test(n ?? '') ? client.traffic()[Number(n) - 1] : undefined;
      if (!item || item.kind !== 'message' || item.view.direction !== 'in')
        throw new HotlineError('BAD_REQUEST', `#${n ?? ''} is no incoming message; /list numbers them`);
      if (body.length === 0) throw new HotlineError('BAD_REQUEST', 'usage: /translate N TEXT');
      const subject = ctx.takeSubject();
      // The text as typed, spacing kept, after "N ".
      const text = arg.trim().slice(n!.length).trim();
      await client.translate(item.view.id, { body: text, ...(subject ? { subject } : {}) });
    },
  };
}

/** Prints, once the console is live, what changes in the line's procedures. */
export function followLine(client: HotlineClient, live: () => boolean): void {
  client.on('line', (change) => {
    if (!live()) return;
    if (change.kind === 'call') return out(callChangeLine(client, change.call));
    if (change.kind === 'link') {
      const missed = linkMissedLine(change.test);
      if (missed) out(missed);
      return;
    }
    const n = client.traffic().findIndex((i) => i.view.id === change.translation.ref) + 1;
    out(translationLines(change.translation, n));
  });
  client.on('refused', (r) => {
    const p = r.payload;
    const what =
      p.type === 'call'
        ? p.action === 'request'
          ? 'call request'
          : `${p.action} of call #${callList(client).findIndex((c) => c.id === p.ref) + 1}`
        : p.type === 'translation'
          ? 'translation'
          : 'link reply';
    out(color.red(`refused: ${what}: ${r.code}: ${r.message}`));
  });
}
