/**
 * Markdown that escapes by default, like html`` (shared/text/html.ts): every value interpolated
 * into an `md` template comes out as the characters it holds — never emphasis, a link, an image,
 * code, a heading, a list, a table cell break or raw HTML — unless it is itself an `md` template.
 * Markup therefore only ever comes from template literals in our source. Every Markdown the
 * console makes (the report, an update copied as Markdown, the hub's Mattermost post) is built
 * with it.
 */
export class Markdown {
  /** Private by convention: only `md` makes one. */
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type MarkdownValue = Markdown | string | number | null | undefined | false | readonly MarkdownValue[];

/**
 * What CommonMark and GitHub's extensions read as inline markup: emphasis, code, link and image
 * brackets (a "(" or "!" is nothing without them), table pipes, strikethrough, headings, escapes.
 */
const INLINE = /[\\`*_[\]#|~]/g;

/**
 * One value as literal Markdown text. &, < and > become entities (no raw HTML, no autolink, and
 * an entity written out stays text); every other character Markdown reads as markup gets a
 * backslash; what would start a block at the start of a line (a list "-", "+", "1." or "1)",
 * a heading underline "=") is escaped there too. A line break becomes <br>, so a value never ends
 * the paragraph, list item or table row it is in.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(INLINE, '\\$&')
    .replace(/^(\s*)([-+=])/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/gm, '$1\\$2')
    .replace(/\r?\n|\r/g, '<br>');
}

function render(value: MarkdownValue): string {
  if (value instanceof Markdown) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeMarkdown(String(value));
}

/** The tag: md`- **${name}**: ${value}` — name and value come out as typed, whatever they hold. */
export function md(strings: TemplateStringsArray, ...values: MarkdownValue[]): Markdown {
  let text = strings[0]!;
  values.forEach((value, i) => {
    text += render(value) + strings[i + 1]!;
  });
  return new Markdown(text);
}

/** A GitHub table: every cell escaped (a "|" typed in one cannot split it). */
export function mdTable(head: readonly MarkdownValue[], rows: readonly (readonly MarkdownValue[])[]): Markdown {
  const line = (cells: readonly MarkdownValue[]) => `| ${cells.map(render).join(' | ')} |`;
  return new Markdown([line(head), line(head.map(() => md`---`)), ...rows.map(line)].join('\n'));
}

/** Lines of Markdown, one document. */
export function mdLines(lines: readonly Markdown[]): string {
  return lines.map((line) => line.text).join('\n');
}
