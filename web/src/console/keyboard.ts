// Keyboard shortcuts of the operator console, and the panel that documents them on the page.
// Alt+letter is matched on the physical key (event.code), so it also works where Alt types a character.
import { h, replaceChildren } from '../common/dom.js';
import { t, type Key } from './i18n.js';

export interface ShortcutActions {
  acknowledge(): void;
  compose(): void;
  traffic(): void;
  switchLanguage(): void;
}

const SHORTCUTS: { keys: string[]; label: Key; operator?: true }[] = [
  { keys: ['Ctrl', 'Enter'], label: 'keySend', operator: true },
  { keys: ['Alt', 'A'], label: 'keyAck', operator: true },
  { keys: ['Alt', 'N'], label: 'keyCompose', operator: true },
  { keys: ['Alt', 'T'], label: 'keyTraffic' },
  { keys: ['Alt', 'L'], label: 'keyLang' },
];

export function installShortcuts(actions: ShortcutActions): () => void {
  const onKey = (ev: KeyboardEvent) => {
    if (!ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.repeat) return;
    // Called through the object, so that an actions class keeps its `this`.
    const action = {
      KeyA: () => actions.acknowledge(),
      KeyN: () => actions.compose(),
      KeyT: () => actions.traffic(),
      KeyL: () => actions.switchLanguage(),
    }[ev.code];
    if (!action) return;
    ev.preventDefault();
    action();
  };
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}

export class KeyboardHelp {
  readonly element = h('section', {
    class: 'panel help',
    'aria-labelledby': 'help-title',
    'data-testid': 'keyboard-help',
  });

  /** `translator`: a translator's console, which neither sends nor acknowledges, lists only what it can do. */
  constructor(private readonly translator = false) {
    this.relabel();
  }

  relabel(): void {
    replaceChildren(
      this.element,
      h('h2', { id: 'help-title', class: 'panel-title' }, t('keyboard')),
      h(
        'dl',
        { class: 'shortcuts' },
        ...SHORTCUTS.filter((s) => !(this.translator && s.operator)).flatMap(({ keys, label }) => [
          h('dt', {}, ...keys.flatMap((k, i) => (i === 0 ? [h('kbd', {}, k)] : ['+', h('kbd', {}, k)]))),
          h('dd', {}, t(label)),
        ]),
      ),
    );
  }
}
