// Enrolment: a one-time link per station (the code travels in the #fragment), copyable with a button, for
// an operator console or for a translator device (the same code, with `&role=translator` in the fragment:
// the console's enrolment page enrols that device as a translator, who may only translate and answer link
// tests); and the keys enrolled in the exercise with their role, state and a revoke action.
import type { StationDef } from '../../../shared/items.js';
import type { KeyInfo } from '../../../shared/http-api.js';
import { scrollRegion } from './scroll-region.js';
import { h, field, fill, select, statusLine, status } from './dom.js';
import { shortKid, shortName, zuluDated } from './format.js';
import { translatorLink } from './line-words.js';
import type { ExerciseContext, View } from './view.js';

const TTLS: [string, string][] = [
  ['900', '15 minutes'],
  ['3600', '1 hour'],
  ['28800', '8 hours'],
  ['86400', '24 hours'],
];

async function copy(text: string, input: HTMLInputElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    input.select();
    return false;
  }
}

function stationCard(ctx: ExerciseContext, station: StationDef, side: number): HTMLElement {
  const ttl = select(TTLS, '900', { id: `ttl-${station.id}` });
  const issue = h('button', { type: 'button', class: 'primary' }, `Issue link for ${shortName(ctx.def, station.id)}`);
  const issueTranslator = h(
    'button',
    { type: 'button', class: 'translator-issue' },
    `Issue translator link for ${shortName(ctx.def, station.id)}`,
  );
  const out = h('div', { class: 'issued' });
  const msg = statusLine();
  const issueLink = (translator: boolean) => {
    issue.disabled = issueTranslator.disabled = true;
    status(msg, 'Issuing…');
    const what = translator ? 'Translator enrolment link' : 'Enrolment link';
    ctx.api.issueCode(ctx.def.id, station.id, Number(ttl.value)).then(
      (code) => {
        issue.disabled = issueTranslator.disabled = false;
        const url = translator ? translatorLink(code.link) : code.link;
        const link = h('input', {
          type: 'text',
          readonly: true,
          value: url,
          class: 'link mono',
          'data-station': station.id,
          'data-role': translator ? 'translator' : 'operator',
          spellcheck: 'false',
        });
        const copyBtn = h('button', { type: 'button' }, 'Copy link');
        const copied = h('span', { class: 'muted', role: 'status' });
        copyBtn.addEventListener('click', () => {
          void copy(url, link).then(
            (ok) => (copied.textContent = ok ? 'Copied to the clipboard.' : 'Selected: press Ctrl+C to copy.'),
          );
        });
        fill(
          out,
          field(
            `${what} for ${station.name}`,
            link,
            translator
              ? 'Open it on the translator’s device: it may translate messages to this station and answer link tests, nothing else. Single use; the code is after # so no server logs it.'
              : 'Open it on the console device. Single use; the code is after # so no server logs it.',
          ),
          h('p', { class: 'actions' }, copyBtn, ' ', copied),
          h('p', { class: 'muted' }, `Code ${code.code} · expires ${zuluDated(code.expiresAt, Date.now())}`),
        );
        status(msg, `${what} issued for ${station.name}.`, 'ok');
      },
      (err: Error) => {
        issue.disabled = issueTranslator.disabled = false;
        status(msg, err.message, 'error');
      },
    );
  };
  issue.addEventListener('click', () => issueLink(false));
  issueTranslator.addEventListener('click', () => issueLink(true));
  return h(
    'section',
    { class: `card station-card side-${side}`, 'aria-labelledby': `enrol-${station.id}` },
    h('h3', { id: `enrol-${station.id}` }, station.name),
    h('p', { class: 'muted' }, `Station ID ${station.id} · console language ${station.lang}`),
    h('div', { class: 'row' }, field('Link valid for', ttl), h('p', { class: 'actions' }, issue, ' ', issueTranslator)),
    out,
    msg,
  );
}

function keysTable(ctx: ExerciseContext, keys: KeyInfo[], refresh: () => void, msg: HTMLElement): HTMLElement {
  if (keys.length === 0) return h('p', { class: 'muted' }, 'No console enrolled yet.');
  const name = (id: string) => ctx.def.stations.find((s) => s.id === id)?.name ?? id;
  return scrollRegion(
    'Enrolled keys',
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, 'Enrolled console keys'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Operator', 'Station', 'Role', 'Key ID', 'Enrolled at', 'Status', 'Action'].map((c) =>
            h('th', { scope: 'col' }, c),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...keys.map((k) => {
          const revoke = h(
            'button',
            { type: 'button', class: 'danger', 'aria-label': `Revoke key of ${k.operator} (${name(k.station)})` },
            'Revoke',
          );
          revoke.addEventListener('click', () => {
            if (
              !confirm(
                `Revoke the key of ${k.operator} (${name(k.station)})? That console can no longer send or connect.`,
              )
            )
              return;
            revoke.disabled = true;
            ctx.api.revoke(ctx.def.id, k.kid, 'revoked by trainer').then(
              (r) => {
                status(msg, `Key ${shortKid(k.kid)} revoked at entry ${r.idx}.`, 'ok');
                refresh();
              },
              (err: Error) => {
                revoke.disabled = false;
                status(msg, err.message, 'error');
              },
            );
          });
          return h(
            'tr',
            {},
            h('th', { scope: 'row' }, k.operator),
            h('td', {}, name(k.station)),
            h('td', {}, ctx.observer.chain.keys.get(k.kid)?.role === 'translator' ? 'Translator' : 'Operator'),
            h('td', { class: 'mono', title: k.kid }, shortKid(k.kid)),
            h('td', {}, `entry ${k.enrolledIdx}`),
            h(
              'td',
              {},
              k.revokedIdx === null
                ? h('span', { class: 'tag tag-ok' }, '✓ Active')
                : h('span', { class: 'tag tag-bad' }, `✖ Revoked at entry ${k.revokedIdx}`),
            ),
            h('td', {}, k.revokedIdx === null ? revoke : '—'),
          );
        }),
      ),
    ),
  );
}

export function enrolmentView(ctx: ExerciseContext): View {
  const keysBox = h('div', {});
  const msg = statusLine();
  const refresh = () => {
    ctx.api.exercise(ctx.def.id).then(
      (d) => fill(keysBox, keysTable(ctx, d.keys, refresh, msg)),
      (err: Error) => status(msg, err.message, 'error'),
    );
  };
  fill(keysBox, keysTable(ctx, ctx.detail.keys, refresh, msg));
  refresh();
  const off = ctx.observer.on('entry', ({ applied }) => {
    if (applied.entry.kind === 'key-enrolled' || applied.entry.kind === 'key-revoked') refresh();
  });
  const el = h(
    'section',
    { class: 'enrolment', 'aria-labelledby': 'enrol-title' },
    h('h2', { id: 'enrol-title' }, 'Enrolment links and keys'),
    h(
      'p',
      { class: 'muted' },
      'Each console makes its own Ed25519 key pair and enrols with a one-time link. Issue one link per console device.',
    ),
    h('div', { class: 'row stations' }, ...ctx.def.stations.map((s, i) => stationCard(ctx, s, i))),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'keys-title' },
      h('h3', { id: 'keys-title' }, 'Enrolled keys'),
      keysBox,
      msg,
    ),
  );
  return { el, destroy: off };
}
