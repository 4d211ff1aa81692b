import type { Status } from '../record/events.js';
import type { IncidentView } from '../record/fold.js';
import type { Priority } from '../incidents/priority.js';
import { md } from '../text/markdown.js';

/** One thing a stakeholder has not heard yet. */
export type CommsChange =
  { kind: 'status'; status: Status; at: number } | { kind: 'priority'; priority: Priority; at: number } | { kind: 'decision'; text: string; at: number };

/** A draft has room for a handful of changes; the newest ones are what a reader missed. */
export const MAX_CHANGES = 8;

/**
 * What changed since `since` (the last update sent to this audience, or the declaration):
 * status and priority changes from the record, decisions from the timeline, oldest first.
 * The declaration's own status and priority are the starting point, not a change.
 */
export function changesSince(
  view: Pick<IncidentView, 'statusChanges' | 'priorityChanges' | 'declaredAt'>,
  decisions: readonly { text: string; at: number }[],
  since: number,
): CommsChange[] {
  const after = (at: number) => at > since;
  const changes: CommsChange[] = [
    ...view.statusChanges.filter((c) => c.value !== 'declared' && after(c.at)).map((c) => ({ kind: 'status' as const, status: c.value, at: c.at })),
    ...view.priorityChanges
      .slice(1)
      .filter((c) => after(c.at))
      .map((c) => ({ kind: 'priority' as const, priority: c.value, at: c.at })),
    ...decisions.filter((d) => after(d.at)).map((d) => ({ kind: 'decision' as const, text: d.text, at: d.at })),
  ];
  return changes.sort((a, b) => a.at - b.at).slice(-MAX_CHANGES);
}

/**
 * A status update as Markdown, for a chat or a status page: the first line becomes the bold
 * heading, "Label: value" lines get a bold label, "- " lines stay a list, and every typed
 * character is escaped (md``, shared/text/markdown.ts). Lines keep their breaks (two trailing
 * spaces) as in the plain text.
 */
export function toMarkdown(body: string): string {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  const out: string[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trimEnd();
    if (line.trim() === '') {
      out.push('');
      return;
    }
    if (i === first) {
      out.push(md`**${line.trim()}**`.text, '');
      return;
    }
    const item = /^\s*[-•]\s+(.*)$/.exec(line);
    if (item) {
      out.push(md`- ${item[1]!}`.text);
      return;
    }
    // A line ending in a colon introduces what follows (a list of changes): it reads as a heading.
    if (/:\s*$/.test(line)) {
      out.push(md`**${line.trim()}**`.text);
      return;
    }
    const labelled = /^([^:\n]{1,40}?)\s?:\s+(.+)$/.exec(line);
    const text = (labelled ? md`**${labelled[1]!.trim()}:** ${labelled[2]!}` : md`${line}`).text;
    // A hard break, unless the next line is a list item, which starts its own line anyway.
    const next = lines[i + 1];
    out.push(next !== undefined && next.trim() !== '' && !/^\s*[-•]\s+/.test(next) ? `${text}  ` : text);
  });
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.join('\n') + '\n';
}
