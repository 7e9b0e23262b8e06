// `hotline console`: an interactive terminal console for one station. Lines typed are sent; slash
// commands acknowledge, list and quit. Works the same when driven through a pipe (tests, scripts).
// Exercise injects addressed to the station appear among the messages, marked as injects from their
// simulated originator, and are acknowledged the same way; the exercise's state and time are printed as
// they change (the rows: console-traffic.ts), and after ENDEX the line is closed.
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { HotlineClient, TrafficItem } from '../client/client.js';
import { markingText } from '../shared/classification.js';
import { HotlineError } from '../shared/errors.js';
import type { Precedence } from '../shared/items.js';
import { isPrecedence } from '../shared/precedence.js';
import { stationName } from '../shared/stations.js';
import { exerciseLine, phaseNotice, stationLang } from './console-exercise.js';
import { overdueLine, OverdueWatch } from './console-overdue.js';
import { openConsole, withConsoleOptions, type ConsoleOptions } from './console-open.js';
import { color, exitCodeFor, out } from './terminal.js';
import { followLine, lineCommands, LINE_HELP, TRANSLATOR_COMMANDS, TRANSLATOR_HELP } from './console-line-commands.js';
import { callList, linkHealthLine, renderCall } from './console-line.js';
import { renderItem, TrafficPrinter } from './console-traffic.js';

const HELP = `Type a line and press Enter to send it (ROUTINE).
  /flash TEXT  /immediate TEXT  /priority TEXT  /routine TEXT   send with that precedence
  /subject TEXT      subject for the next message (or translation)
  /ack [N] [NOTE]    acknowledge incoming message or exercise inject #N (default: the oldest unacknowledged)
  /list              show the conversation        /status   link, peer, exercise clock, overdue count
${LINE_HELP}
  /help              this help                    /quit     leave (queued messages stay in the outbox)`;

/** Incoming and not acknowledged yet: what /ack takes by default. */
function awaitsAck(item: TrafficItem): boolean {
  return !item.view.states.acknowledged && (item.kind === 'inject' || item.view.direction === 'in');
}

export function registerConsole(program: Command): void {
  withConsoleOptions(program.command('console'))
    .description('interactive terminal console for one station')
    .addHelpText(
      'after',
      `\n${HELP}\n\nExamples:\n  $ hotline console --link 'http://127.0.0.1:8080/console#code=...' --operator 'Duty officer'\n  $ hotline console                      # reopens the console enrolled in this folder\n  $ hotline console --station washington # when several were enrolled here (in a terminal, it asks)\n  $ hotline console --state hotline-washington.json\n  $ hotline console --relay http://relay-b:8080 --relay http://relay-c:8080  # fails over to these in turn`,
    )
    .action(async (o: ConsoleOptions) => {
      const { client } = await openConsole(o);
      await runConsole(client);
    });
}

async function runConsole(client: HotlineClient): Promise<void> {
  const ex = client.identity.exercise;
  out(color.bold(`=== ${stationName(ex, client.station)} · ${ex.title} · ${markingText(ex.classification)} ===`));
  const translator = client.role === 'translator';
  const role = translator ? color.bold('TRANSLATOR ') : '';
  out(
    `${role}operator ${client.identity.operator}, key ${client.identity.kid.slice(0, 12)}…  Type /help for commands.`,
  );
  let caughtUp = false;
  let subject: string | undefined;
  const traffic = new TrafficPrinter(client);
  // Deadlines pass on the line clock with no event to mark them: look every second. Nothing is due after
  // ENDEX (nothing can be acknowledged), as in the browser consoles.
  const overdue = new OverdueWatch(client.chain.clock);
  const sayOverdue = () => {
    if (!caughtUp || client.lineClosed) return;
    for (const o of overdue.fresh(client.traffic(), Date.now())) out(overdueLine(o, stationLang(client)));
  };
  const overdueTimer = setInterval(sayOverdue, 1_000);

  client.on('caughtUp', () => {
    caughtUp = true;
    const items = traffic.printAll();
    const injects = items.filter((i) => i.kind === 'inject').length;
    const count = `${items.length - injects} messages${injects > 0 ? `, ${injects} exercise injects` : ''}`;
    if (client.exercise.phase !== 'planned') out(phaseNotice(client, client.exercise));
    for (const call of callList(client).filter((c) => c.awaiting === client.station)) out(renderCall(client, call));
    out(color.dim(`--- ${count}; live ---`));
    sayOverdue();
  });
  followLine(client, () => caughtUp);
  const changed = (item: TrafficItem) => {
    if (caughtUp) traffic.changed(item);
  };
  client.on('message', (view) => changed({ kind: 'message', view }));
  client.on('inject', (view) => changed({ kind: 'inject', view }));
  client.on('exercise', (status) => {
    if (caughtUp) out(phaseNotice(client, status));
  });
  client.on('presence', (p) => {
    if (p.station === client.peer)
      out(`peer ${p.station}: ${p.online ? color.green('online') : color.yellow('offline')}`);
  });
  // With alternates, the line says which relay: the one the link is on, or the one it tries next.
  const via = (url: string) => (client.relays.length > 1 ? ` ${url}` : '');
  client.on('link', (l) => {
    if (l.state === 'open' && l.rtt === undefined) out(color.green(`link: connected${via(l.url)}`));
    if (l.state === 'reconnecting')
      out(
        color.yellow(
          `link: reconnecting${via(l.url)} in ${Math.max(0, Math.round((l.nextAttemptAt - Date.now()) / 1000))}s (${l.reason})`,
        ),
      );
  });
  client.on('alarm', (a) =>
    out(color.red(`!!! ALARM ${a.code}${a.idx === undefined ? '' : ` at entry ${a.idx}`}: ${a.message}`)),
  );
  let dead: HotlineError | undefined;
  client.on('fatal', (e) => {
    dead = e;
    out(color.red(`!!! ${e.code}: ${e.message} — this console cannot reconnect. /list and /quit still work.`));
  });
  client.start();

  const rl = createInterface({ input: process.stdin, terminal: Boolean(process.stdin.isTTY) });
  const commands: Record<string, (arg: string) => Promise<void> | void> = {
    ...lineCommands(client, {
      takeSubject: () => {
        const taken = subject;
        subject = undefined;
        return taken;
      },
    }),
    help: () => out(translator ? TRANSLATOR_HELP : HELP),
    list: () => client.traffic().forEach((item, i) => out(renderItem(i + 1, item, client))),
    status: () => {
      const l = client.link;
      out(
        `link ${l.state}${l.state === 'offline' ? '' : ` ${l.url}`}${l.state === 'open' && l.rtt !== undefined ? ` rtt ${l.rtt} ms` : ''}; peer ${client.peer} ${client.peerOnline ? 'online' : 'offline'}; outbox ${client.outbox.items.length}; log entry ${client.lastIdx}`,
      );
      out(exerciseLine(client.exercise, client.exerciseTime()));
      const late = overdue.count(client.traffic(), Date.now());
      out(late === 0 ? 'overdue: none' : color.red(`overdue: ${late} awaiting acknowledgement past the deadline`));
      for (const s of [client.station, client.peer]) out(linkHealthLine(client, s));
      const open = client.line.openCalls().length;
      if (open > 0) out(`calls open: ${open}; /calls`);
    },
    subject: (arg) => {
      subject = arg || undefined;
      out(subject ? `subject for the next message: ${subject}` : 'subject cleared');
    },
    ack: async (arg) => {
      const [first, ...rest] = arg.split(/\s+/).filter(Boolean);
      const list = client.traffic();
      const n = first !== undefined && /^\d+$/.test(first) ? Number(first) : undefined;
      const target = n !== undefined ? list[n - 1] : list.find(awaitsAck);
      if (!target || (target.kind === 'message' && target.view.direction !== 'in'))
        return out(color.yellow('nothing to acknowledge'));
      const note = (n === undefined ? [first, ...rest] : rest).filter(Boolean).join(' ');
      await client.acknowledge(target.view.id, note || undefined);
    },
  };
  const send = async (precedence: Precedence, body: string) => {
    if (!body) return out(color.yellow('nothing to send'));
    await client.send({ precedence, body, ...(subject ? { subject } : {}) });
    subject = undefined;
  };

  let pending = Promise.resolve();
  rl.on('line', (raw) => {
    const line = raw.trim();
    pending = pending.then(async () => {
      if (!line) return;
      try {
        const m = /^\/(\w+)\s*(.*)$/.exec(line);
        const stop = dead ?? (client.lineClosed ? new HotlineError('EXERCISE_ENDED') : undefined);
        if (!m && translator) return refuseTranslator();
        if (!m) return stop ? refuse(stop) : await send('ROUTINE', line);
        const [, cmd = '', arg = ''] = m;
        if (translator && !TRANSLATOR_COMMANDS.has(cmd)) return refuseTranslator();
        if (stop && !READ_ONLY.has(cmd)) return refuse(stop);
        const prec = cmd.toUpperCase();
        if (isPrecedence(prec)) return await send(prec, arg);
        if (cmd === 'quit') return rl.close();
        const handler = commands[cmd];
        if (!handler) return out(color.yellow(`unknown command /${cmd}; /help lists them`));
        await handler(arg);
      } catch (err) {
        out(color.red(`error: ${(err as Error).message}`));
      }
    });
  });
  await new Promise<void>((resolve) => rl.on('close', resolve));
  await pending;
  clearInterval(overdueTimer);
  // Give queued items a moment to be accepted before leaving; what is left stays in the outbox.
  const deadline = Date.now() + 5_000;
  while (client.outbox.items.length > 0 && client.link.state === 'open' && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  await client.stop();
  if (dead) process.exitCode = exitCodeFor(dead);
}

/** What a console whose link ended for good still does: nothing that would sign and queue an item. */
const READ_ONLY = new Set(['help', 'list', 'status', 'quit', 'calls', 'link', 'subject']);

function refuseTranslator(): void {
  out(
    color.red('refused: WRONG_ROLE: this console is enrolled as a translator; it only translates (/translate N TEXT).'),
  );
}

function refuse(err: HotlineError): void {
  if (err.code === 'EXERCISE_ENDED')
    return out(color.red('refused: ENDEX, the exercise has ended and the line is closed; nothing can be sent.'));
  const why =
    err.code === 'KEY_REVOKED' ? "this console's key was revoked" : `this console cannot connect (${err.code})`;
  out(color.red(`refused: ${why}; nothing typed here can be sent. Ask the trainer for a new enrolment link.`));
}
