// Commands for scripts: `enrol`, `send` (waits for the state asked for) and `listen` (prints messages and
// exercise injects as they arrive, until ENDEX closes the line). JSON on stdout with --json; everything else
// on stderr.
import type { Command } from 'commander';
import type { HotlineClient, TrafficItem } from '../client/client.js';
import { latestState, type MessageState, type MessageView } from '../client/conversation.js';
import { HotlineError } from '../shared/errors.js';
import { PRECEDENCES } from '../shared/items.js';
import { isPrecedence } from '../shared/precedence.js';
import { checkConsoleOptions, openConsole, withConsoleOptions, type ConsoleOptions } from './console-open.js';
import { fatal, untilLive, within } from './console-live.js';
import { renderItem } from './console-traffic.js';
import { diag, EXIT, out } from './terminal.js';

const ORDER: MessageState[] = ['queued', 'accepted', 'delivered', 'acknowledged'];
const WAITS = ['accepted', 'delivered', 'acknowledged'] as const;

function reached(v: MessageView, want: MessageState): boolean {
  return v.rejected !== undefined || ORDER.indexOf(latestState(v)) >= ORDER.indexOf(want);
}

/** A positive whole number of milliseconds (or a count), or BAD_REQUEST naming the option. */
function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new HotlineError('BAD_REQUEST', `${flag} takes a positive whole number, not "${value}".`);
  return n;
}

export function registerScripted(program: Command): void {
  withConsoleOptions(program.command('enrol'))
    .description('enrol this machine as a console of one station and save its key')
    .addHelpText(
      'after',
      `\nExample:\n  $ hotline enrol --link 'http://127.0.0.1:8080/console#code=...' --operator 'Watch officer' --state bj.json`,
    )
    .action(async (o: ConsoleOptions) => {
      const { client, stateFile } = await openConsole(o);
      out(
        JSON.stringify({
          station: client.station,
          kid: client.identity.kid,
          exercise: client.identity.exercise.id,
          state: stateFile,
        }),
      );
    });

  withConsoleOptions(program.command('send <body...>'))
    .description('send one message and wait until it reaches a state')
    .option('-p, --precedence <p>', `one of ${PRECEDENCES.join(', ')}`, 'ROUTINE')
    .option('-s, --subject <text>', 'subject')
    .option('-w, --wait <state>', 'accepted, delivered or acknowledged', 'accepted')
    .option('-t, --timeout <ms>', 'give up after this long', '30000')
    .addHelpText(
      'after',
      `\nExit codes: 0 reached the state; 1 rejected or timed out.\n\nExample:\n  $ hotline send --state bj.json -p FLASH -s "Line test" --wait delivered "Test message, please acknowledge"`,
    )
    .action(
      async (
        body: string[],
        o: ConsoleOptions & { precedence: string; subject?: string; wait: string; timeout: string },
      ) => {
        // Every option is checked before the state file is opened: nothing may be queued for a typo.
        const precedence = o.precedence.toUpperCase();
        if (!isPrecedence(precedence))
          throw new HotlineError(
            'BAD_REQUEST',
            `--precedence takes one of ${PRECEDENCES.join(', ')}, not "${o.precedence}".`,
          );
        const wait = WAITS.find((w) => w === o.wait);
        if (!wait) throw new HotlineError('BAD_REQUEST', `--wait takes one of ${WAITS.join(', ')}, not "${o.wait}".`);
        const ms = positive('--timeout', o.timeout);
        checkConsoleOptions(o);
        const { client } = await openConsole(o);
        try {
          await untilLive(client, ms);
          const view = await client.send({
            precedence,
            body: body.join(' '),
            ...(o.subject ? { subject: o.subject } : {}),
          });
          const done = reached(view, wait)
            ? view
            : await within(
                client,
                ms,
                wait,
                client.once('message', (v) => v.id === view.id && reached(v, wait)),
              );
          out(
            JSON.stringify({
              id: done.id,
              idx: done.idx ?? null,
              state: latestState(done),
              states: done.states,
              rejected: done.rejected ?? null,
            }),
          );
          process.exitCode = done.rejected ? EXIT.failure : EXIT.ok;
        } finally {
          await client.stop();
        }
      },
    );

  withConsoleOptions(program.command('listen'))
    .description(
      'print incoming messages and exercise injects as they arrive (delivered receipts are sent automatically); ends at ENDEX',
    )
    .option('--ack', 'acknowledge every incoming message and inject too')
    .option('--json', 'one JSON object per line (an inject has "kind": "inject")')
    .option('-n, --count <n>', 'exit after this many new incoming messages and injects')
    .option('-t, --timeout <ms>', 'exit after this long (exit code 1 if --count was not reached)')
    .addHelpText('after', `\nExample:\n  $ hotline listen --state wa.json --ack --json --count 1`)
    .action(async (o: ConsoleOptions & { ack?: boolean; json?: boolean; count?: string; timeout?: string }) => {
      if (o.count !== undefined) positive('--count', o.count);
      if (o.timeout !== undefined) positive('--timeout', o.timeout);
      checkConsoleOptions(o);
      const { client } = await openConsole(o);
      await listen(client, o);
    });
}

async function listen(
  client: HotlineClient,
  o: { ack?: boolean; json?: boolean; count?: string; timeout?: string },
): Promise<void> {
  let live = false;
  let seen = 0;
  const printed = new Set<string>();
  const want = o.count === undefined ? Infinity : Number(o.count);
  const dead = fatal(client);
  const listening = new Promise<void>((resolve) => {
    const finish = () => resolve();
    if (o.timeout) setTimeout(finish, Number(o.timeout)).unref();
    const ended = () => {
      diag('ENDEX: the exercise has ended; the line is closed');
      finish();
    };
    client.on('caughtUp', () => {
      live = true;
      for (const item of client.traffic()) printed.add(item.view.id);
      diag(`listening as ${client.station}; ${printed.size} earlier messages and injects in the log`);
      if (client.lineClosed) ended();
    });
    client.on('alarm', (a) => diag(`ALARM ${a.code}: ${a.message}`));
    client.on('exercise', (status) => {
      if (live && status.closed) ended();
    });
    const arrived = (item: TrafficItem) => {
      const v = item.view;
      if (!live || printed.has(v.id)) return;
      if (item.kind === 'message' && (item.view.direction !== 'in' || !item.view.verified)) return;
      printed.add(v.id);
      seen++;
      const n = client.traffic().findIndex((i) => i.view.id === v.id) + 1;
      const json = item.kind === 'inject' ? { kind: 'inject', ...item.view } : item.view;
      out(o.json ? JSON.stringify(json) : renderItem(n, item, client));
      const next = o.ack ? client.acknowledge(v.id) : Promise.resolve();
      void next
        .catch((err: unknown) => diag(`could not acknowledge #${n}: ${(err as Error).message}`))
        .then(async () => {
          if (seen < want) return;
          // Let the receipts reach the relay before leaving.
          while (client.outbox.items.length > 0 && client.link.state === 'open')
            await new Promise((r) => setTimeout(r, 20));
          finish();
        });
    };
    client.on('message', (view) => arrived({ kind: 'message', view }));
    client.on('inject', (view) => arrived({ kind: 'inject', view }));
    client.start();
  });
  try {
    // A revoked key ends the listener with its code instead of waiting forever.
    await Promise.race([listening, dead.failed]);
  } finally {
    dead.off();
    await client.stop();
  }
  if (seen < want && want !== Infinity) process.exitCode = EXIT.failure;
}
