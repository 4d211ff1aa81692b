import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import './Roles.css';

/** Keep Tab and Shift+Tab inside the dialog, so the keyboard never wanders behind the overlay. */
function keepFocusInside(event: KeyboardEvent, root: HTMLElement | null): void {
  if (!root) return;
  const focusable = [...root.querySelectorAll<HTMLElement>('button, input, select, textarea, [tabindex]:not([tabindex="-1"])')].filter(
    (el) => !el.hasAttribute('disabled') && el.offsetParent !== null,
  );
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

/**
 * The frame of the role, directory and hand-off dialogs: modal, Esc closes, Tab stays inside,
 * and the focus goes back where it was when it closes.
 */
export function RolesModal(props: { id: string; title: string; className?: string; onClose: () => void; children: ReactNode }) {
  const { id, title, className, onClose, children } = props;
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return () => {
      if (document.activeElement === document.body || document.activeElement === null) previous?.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      onClose();
    } else if (event.key === 'Tab') keepFocusInside(event, ref.current);
  };

  return (
    <div className="overlay" onClick={onClose}>
      <div
        ref={ref}
        className={`dialog roles-dialog ${className ?? ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-heading`}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={onKeyDown}
      >
        <h2 id={`${id}-heading`}>{title}</h2>
        {children}
      </div>
    </div>
  );
}
