/**
 * HTML that escapes by default: every value interpolated into an `html` template is escaped
 * (text and quoted attribute values alike), unless it is itself the result of an `html`
 * template. Markup therefore only ever comes from template literals in our source, and a title,
 * a note or a name someone typed can never become a tag or an attribute. There is no escape
 * function to call, and so none to forget.
 */
export class Html {
  /** Private by convention: only `html` and `trustedHtml` make one. */
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** The tag: `html\`<td class="who">${row.actor}</td>\`` — the actor comes out as text, whatever it holds. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let markup = strings[0]!;
  values.forEach((value, i) => {
    markup += render(value) + strings[i + 1]!;
  });
  return new Html(markup);
}

/**
 * Markup written in our own source that is not a template (the report's stylesheet, its CSP):
 * never pass it anything that came from a person, a file or the network.
 */
export function trustedHtml(markup: string): Html {
  return new Html(markup);
}

/** Text with its line breaks kept: each line escaped, joined by `<br>`. */
export function lines(text: string): Html {
  return html`${text.split(/\r?\n/).map((line, i) => (i === 0 ? line : html`<br>${line}`))}`;
}
