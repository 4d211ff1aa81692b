/**
 * Wrap a refetch so that bursts of change notices cost at most one request in flight plus
 * one queued: a call made while a fetch runs waits for a fresh fetch that starts after it,
 * so its caller always sees data at least as new as the moment it asked.
 */
export function coalesce(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  const start = (): Promise<void> => {
    running = task().finally(() => {
      running = null;
    });
    return running;
  };
  return () => {
    if (!running) return start();
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return start();
      });
    return queued;
  };
}
