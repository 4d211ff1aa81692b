import { useEffect, useLayoutEffect, useRef, useState } from 'react';

/** How long the keys must rest before a choice made with them is recorded (the task board's moves wait as long). */
export const CHOICE_SETTLE_MS = 600;

interface Settling<V> {
  value: V;
  timer: ReturnType<typeof setTimeout>;
}

export interface SettledChoices<V> {
  /** The choices shown and not yet in the record, by item. */
  shown: ReadonlyMap<string, V>;
  /** What to show for `id`: the choice being made, else what the record says. */
  value(id: string, recorded: V): V;
  /** A key chose `value` for `id`: shown at once, recorded once the keys rest, if it differs from the record then. */
  choose(id: string, value: V): void;
}

/**
 * Choices made by keys (star, hide, a story moment…), per item: key repeat and quick presses
 * collapse into one change, and a change undone before the keys rest records nothing (issue #10:
 * the record says only what people chose). `recordedOf` reads what the record holds now
 * (undefined when not at hand, say a row scrolled out of the window: the choice is recorded);
 * `record` writes one change and reports a refusal itself. What is pending when the component
 * goes away is recorded then, like the task board's key moves.
 */
export function useSettledChoices<V>(recordedOf: (id: string) => V | undefined, record: (id: string, value: V) => Promise<unknown>): SettledChoices<V> {
  const [shown, setShown] = useState<ReadonlyMap<string, V>>(new Map());
  const settling = useRef(new Map<string, Settling<V>>());
  const latest = useRef({ recordedOf, record });

  const forget = (id: string) =>
    setShown((current) => {
      if (!current.has(id)) return current;
      const next = new Map(current);
      next.delete(id);
      return next;
    });

  const settle = (id: string) => {
    const pending = settling.current.get(id);
    if (!pending) return;
    clearTimeout(pending.timer);
    settling.current.delete(id);
    if (Object.is(latest.current.recordedOf(id), pending.value)) return forget(id);
    // Shown as chosen until the record catches up (the effect below), or put back if refused.
    latest.current.record(id, pending.value).catch(() => forget(id));
  };
  const settleRef = useRef(settle);
  // The timers and the unmount run later, with what the latest render knew.
  useLayoutEffect(() => {
    latest.current = { recordedOf, record };
    settleRef.current = settle;
  });

  // A choice the record now holds needs no override any more.
  useEffect(() => {
    const stale = [...shown].filter(([id, value]) => !settling.current.has(id) && Object.is(recordedOf(id), value));
    if (stale.length === 0) return;
    setShown((current) => {
      const next = new Map(current);
      stale.forEach(([id]) => next.delete(id));
      return next;
    });
  }, [shown, recordedOf]);
  useEffect(() => () => [...settling.current.keys()].forEach((id) => settleRef.current(id)), []);

  return {
    shown,
    value: (id, recorded) => (shown.has(id) ? (shown.get(id) as V) : recorded),
    choose: (id, value) => {
      setShown((current) => new Map(current).set(id, value));
      clearTimeout(settling.current.get(id)?.timer);
      settling.current.set(id, { value, timer: setTimeout(() => settleRef.current(id), CHOICE_SETTLE_MS) });
    },
  };
}
