import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('button, input, select, textarea, [tabindex]:not([tabindex="-1"])')].filter(
    (el) => !el.hasAttribute('disabled') && el.offsetParent !== null,
  );
}

/** Modal frame: Esc closes, Tab stays inside, the focus goes back where it was. */
export function LibraryModal(props: { id: string; title: string; wide?: boolean; onClose: () => void; children: ReactNode; actions?: ReactNode }) {
  const { id, title, wide, onClose, children, actions } = props;
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // On the window, so Esc still closes after the focus fell to the page (a button disabled while it worked).
    const onEscape = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      onClose();
    };
    window.addEventListener('keydown', onEscape);
    return () => {
      window.removeEventListener('keydown', onEscape);
      if (document.activeElement === document.body || document.activeElement === null) previous?.focus();
    };
  }, [onClose]);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      onClose();
      return;
    }
    if (event.key !== 'Tab' || !ref.current) return;
    const list = focusables(ref.current);
    const first = list[0];
    const last = list[list.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };
  return (
    <div className="overlay" onClick={onClose}>
      <div
        ref={ref}
        className={`dialog library-dialog${wide ? ' wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-heading`}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={onKeyDown}
      >
        <div className="library-dialog-head">
          <h2 id={`${id}-heading`}>{title}</h2>
          {actions}
        </div>
        {children}
      </div>
    </div>
  );
}
