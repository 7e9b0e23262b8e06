// What an applied entry changed in the line's procedures, as a console's views want to hear it: the call,
// the link test or the translation it touched, read back from the verifier's LineBook after the entry.
import type { Applied } from '../shared/chain.js';
import type { ItemPayload } from '../shared/items.js';
import type { CallView, LineBook, LinkTestView, TranslationView } from '../shared/line-book.js';

/** The items a console signs for the procedures; each refers to a call, a message or a link test. */
export type LineItem = Extract<ItemPayload, { type: 'call' | 'translation' | 'link-reply' }>;

export function isLineItem(p: ItemPayload): p is LineItem {
  return p.type === 'call' || p.type === 'translation' || p.type === 'link-reply';
}

export type LineChange =
  | { kind: 'call'; call: CallView }
  | { kind: 'link'; test: LinkTestView }
  | { kind: 'translation'; translation: TranslationView };

export function lineChange(applied: Applied, line: LineBook): LineChange | undefined {
  const { entry, item } = applied;
  const p = item?.payload;
  const data = entry.data as { id?: string; ref?: string } | undefined;
  let callId: string | undefined;
  let testId: string | undefined;
  if (p?.type === 'call') callId = p.action === 'request' ? p.id : p.ref;
  else if (entry.kind === 'call-expired') callId = data?.ref;
  else if (p?.type === 'link-reply') testId = p.ref;
  else if (entry.kind === 'link-test') testId = data?.id;
  else if (entry.kind === 'link-missed') testId = data?.ref;
  else if (p?.type === 'translation') {
    const translation = line.translations.get(p.ref);
    return translation && { kind: 'translation', translation };
  }
  const call = callId === undefined ? undefined : line.calls.get(callId);
  if (call) return { kind: 'call', call };
  const test = testId === undefined ? undefined : line.tests.get(testId);
  return test && { kind: 'link', test };
}
