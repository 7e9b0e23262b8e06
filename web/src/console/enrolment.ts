// Enrolment: read the one-time code (and `role=translator`, when the trainer's link asks for a translator's
// device) from the link's #fragment, then drop it from the address bar, or let the operator type a code;
// show what it enrols before it is used (enrol-preview.ts); ask for the operator's name (enrol-form.ts); make a
// non-extractable Ed25519 key pair with WebCrypto, keep it in IndexedDB and register the public key (and
// the role) with the relay.
import { HotlineClient, type ClientOptions } from '../../../client/client.js';
import { codeFromLink } from '../../../client/identity.js';
import type { SavedState } from '../../../client/storage.js';
import { HotlineError, isErrorCode } from '../../../shared/errors.js';
import { h, replaceChildren } from '../common/dom.js';
import { enrolForm } from './enrol-form.js';
import { codeRefused, lookUp, previewPanel, type PreviewState } from './enrol-preview.js';
import { errorText, stationName, t } from './i18n.js';
import { SlotStorage, slotFor } from './slots.js';

export interface LinkCode {
  code: string;
  role?: 'translator';
}

/** The code in `#code=...` (with its role), removed from the address bar at once so it is not bookmarked or shared. */
export function takeCodeFromFragment(): LinkCode | undefined {
  if (!/[#&]code=/.test(location.hash)) return undefined;
  let link: LinkCode | undefined;
  try {
    const { code, role } = codeFromLink(location.href);
    link = { code, ...(role ? { role } : {}) };
  } catch {
    link = undefined;
  }
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  return link;
}

export interface KnownConsole {
  slot: string;
  state: SavedState;
}

export interface EnrolmentOptions {
  code: string | undefined;
  /** The link asked for a translator's device. */
  role?: 'translator';
  known: KnownConsole[];
  client: Omit<ClientOptions, 'storage'>;
  onEnrolled(client: HotlineClient, slot: string): void;
  onOpen(slot: string): void;
}

export class EnrolmentScreen {
  readonly element = h('section', { class: 'enrol', 'aria-labelledby': 'enrol-title', 'data-testid': 'enrolment' });
  #code: string | undefined;
  #typeCode: boolean;
  #busy = false;
  #error: string | undefined;
  #values = { code: '', operator: '' };
  #preview: PreviewState | undefined;
  /** Stays in place across redraws, so a look-up that ends while the operator types moves no focus. */
  readonly #previewSlot = h('div', { class: 'enrol-preview-slot' });

  constructor(private readonly o: EnrolmentOptions) {
    this.#code = o.code;
    this.#typeCode = o.code === undefined;
    if (o.code !== undefined) void this.#check(o.code);
  }

  /** Looks the code up (it stays unused) and shows what it enrols; a refused link code can be retyped. */
  async #check(code: string): Promise<void> {
    if (!code || this.#preview?.code === code) return;
    this.#preview = { status: 'looking', code };
    this.#showPreview();
    const found = await lookUp(code);
    if (this.#preview?.code !== code) return; // another code was typed meanwhile
    this.#preview = found;
    this.#showPreview();
    if (!this.#typeCode && codeRefused(found) && !this.#busy) {
      // A link's code that cannot be used: show it in the field so another can be typed.
      this.#typeCode = true;
      this.#values.code = code;
      this.render();
      this.element.querySelector<HTMLInputElement>('#enrol-code')?.focus();
    }
  }

  #showPreview(): void {
    replaceChildren(this.#previewSlot, this.#preview ? previewPanel(this.#preview, this.o.role) : null);
  }

  /** (Re)draws the screen in the current language, keeping what was typed. */
  render(): void {
    this.#remember();
    this.#showPreview(); // in the current language
    const form = enrolForm(
      { typeCode: this.#typeCode, values: this.#values, busy: this.#busy, error: this.#error },
      {
        typeInstead: () => this.#typeInstead(),
        codeChanged: (code) => void this.#check(code),
        submit: () => void this.#submit(),
      },
    );
    replaceChildren(
      this.element,
      h('h1', { id: 'enrol-title', tabindex: '-1' }, t('enrolTitle')),
      h('p', { class: 'lede' }, t('enrolIntro')),
      this.#previewSlot,
      form,
      this.#knownList(),
    );
  }

  focus(): void {
    const target = this.element.querySelector<HTMLInputElement>(
      this.#typeCode && !this.#values.code ? '#enrol-code' : '#enrol-operator',
    );
    target?.focus();
  }

  #remember(): void {
    const code = this.element.querySelector<HTMLInputElement>('#enrol-code');
    const operator = this.element.querySelector<HTMLInputElement>('#enrol-operator');
    if (code) this.#values.code = code.value;
    if (operator) this.#values.operator = operator.value;
  }

  /** The operator will type a code rather than use the link's. */
  #typeInstead(): void {
    this.#typeCode = true;
    this.#code = undefined;
    this.#preview = undefined;
    this.#showPreview();
    this.render();
    this.element.querySelector<HTMLInputElement>('#enrol-code')?.focus();
  }

  #knownList(): HTMLElement | null {
    if (this.o.known.length === 0) return null;
    return h(
      'section',
      { class: 'panel known', 'aria-labelledby': 'known-title' },
      h('h2', { id: 'known-title', class: 'panel-title' }, t('enrolledHere')),
      h(
        'ul',
        { class: 'known-list' },
        ...this.o.known.map(({ slot, state }) => {
          const id = state.identity;
          const open = h('button', { type: 'button', class: 'btn btn-small' }, t('openConsole'));
          open.addEventListener('click', () => this.o.onOpen(slot));
          return h(
            'li',
            {},
            h(
              'span',
              {},
              h('strong', {}, stationName(id.exercise, id.station)),
              ` · ${id.operator} · ${id.exercise.id} · `,
              h('span', { class: 'mono' }, `${id.kid.slice(0, 8)}…`),
            ),
            open,
          );
        }),
      ),
    );
  }

  async #submit(): Promise<void> {
    if (this.#busy) return;
    this.#remember();
    const code = (this.#typeCode ? this.#values.code : (this.#code ?? '')).trim();
    const operator = this.#values.operator.trim();
    this.#error = !code ? t('missingCode') : !operator ? t('missingOperator') : undefined;
    if (this.#error) {
      this.render();
      this.element.querySelector<HTMLInputElement>(!code ? '#enrol-code' : '#enrol-operator')?.focus();
      return;
    }
    this.#busy = true;
    this.render();
    try {
      const client = await HotlineClient.enrol(
        { url: location.origin, code, operator, extractable: false, ...(this.o.role ? { role: this.o.role } : {}) },
        { ...this.o.client, storage: new SlotStorage() },
      );
      this.o.onEnrolled(client, slotFor(client.identity));
    } catch (err) {
      this.#busy = false;
      this.#error = describe(err);
      // A link's code is spent or wrong once refused: show it in the field so another can be typed.
      if (!this.#typeCode && err instanceof HotlineError && err.code.startsWith('ENROLMENT_CODE')) {
        this.#typeCode = true;
        this.#values.code = code;
      }
      this.render();
      this.element.querySelector<HTMLInputElement>(this.#typeCode ? '#enrol-code' : '#enrol-operator')?.focus();
    }
  }
}

function describe(err: unknown): string {
  if (err instanceof HotlineError && isErrorCode(err.code))
    return `${t('enrolFailed')}: ${errorText(err.code)} (${err.code})`;
  return `${t('enrolFailed')}: ${(err as Error).message}`;
}
