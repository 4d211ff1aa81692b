/** What to show or log for something thrown: an Error's message, anything else as a string. */
export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
