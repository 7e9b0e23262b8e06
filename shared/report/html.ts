// HTML as strings, safely: every interpolated value is escaped unless it is markup this module built
// (SafeHtml). The report's renderer writes all its markup through `html`, so no text from the log (a message
// body, an operator's name, a scenario title) can ever become markup, in the CLI's file or the trainer's page.

export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Html = SafeHtml | string | number | null | undefined | false | readonly Html[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for element content and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function part(value: Html): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return (value as readonly Html[]).map(part).join('');
  return escapeHtml(String(value as string | number));
}

/** A template of trusted markup with escaped values: html`<td>${text}</td>`. */
export function html(strings: TemplateStringsArray, ...values: Html[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((v, i) => (out += part(v) + strings[i + 1]!));
  return new SafeHtml(out);
}

/** Markup from markup: a list of fragments joined. */
export function join(parts: readonly Html[], separator = ''): SafeHtml {
  return new SafeHtml(parts.map(part).join(separator));
}
