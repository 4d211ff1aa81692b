/** Text with no letter outside ASCII: decomposing it and dropping marks would change nothing. */
const ASCII = /^[\x00-\x7f]*$/;

/**
 * Lower case without accents, so "chloe" finds "Chloé", "equipe" finds "Équipe" and "ATTENUE"
 * finds "atténué". The one text normaliser for search, matching and keys; the timeline's search
 * column is stored folded this way, so changing it means rebuilding that column.
 */
export function foldText(text: string): string {
  // Most of what a catch-up folds (every pulled entry's search text) is plain ASCII: NFD and the
  // mark removal cost ~1 µs an entry for nothing there.
  if (ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
