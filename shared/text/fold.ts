/**
 * Lower case without accents, so "chloe" finds "Chloé", "equipe" finds "Équipe" and "ATTENUE"
 * finds "atténué". The one text normaliser for search, matching and keys; the timeline's search
 * column is stored folded this way, so changing it means rebuilding that column.
 */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
