/**
 * The rule for a late answer: it never takes the keyboard. After an awaited call, the focus moves
 * on only while it is still where the action started (inside one of `places`), or lost to the page
 * (the button pressed went away). Under load the change notice often shows the result first and the
 * person goes on elsewhere — the next command in the bar, a task — and moving the focus then sent
 * their keys, an Enter included, to a control they never aimed at.
 */
export function focusStayedIn(...places: (Element | null | undefined)[]): boolean {
  const here = document.activeElement;
  return here === null || here === document.body || places.some((place) => place?.contains(here) ?? false);
}

/**
 * Focus the element `id` once it is on screen — a view still loading draws it some frames later —
 * as long as `mayTakeFocus` still allows it at that moment; gives up after `limitMs`.
 */
export function focusOnceShown(id: string, mayTakeFocus: () => boolean, limitMs = 5000): void {
  const started = performance.now();
  const attempt = () => {
    if (!mayTakeFocus()) return;
    const target = document.getElementById(id);
    if (target) target.focus();
    else if (performance.now() - started < limitMs) requestAnimationFrame(attempt);
  };
  requestAnimationFrame(attempt);
}
