import { useEffect, useLayoutEffect, useRef, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import './Modal.css';

const FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hasAttribute('disabled') && el.getClientRects().length > 0);
}

/** True while any modal is open: the console's single-key shortcuts stay behind it. */
export function modalOpen(): boolean {
  return document.querySelector('dialog[open], [aria-modal="true"]') !== null;
}

export interface ModalProps {
  /** Prefix of the heading's id (`<id>-heading`), which names the dialog for screen readers. */
  id: string;
  /** The heading shown at the top; without it, `labelledBy` names an element the children render. */
  title?: string;
  labelledBy?: string;
  className?: string;
  onClose: () => void;
  /** Runs first on every key press inside the dialog (Ctrl+Enter to save…); preventDefault stops the frame's own handling. */
  onKeyDown?: (event: KeyboardEvent<HTMLDialogElement>) => void;
  children: ReactNode;
}

/**
 * The one modal frame of the console, on the native <dialog> opened with showModal(): the page
 * behind is inert (no click, no focus, hidden from screen readers), Esc or a click outside closes,
 * Tab wraps inside, and the focus goes back where it was when it closes.
 */
export function Modal({ id, title, labelledBy, className, onClose, onKeyDown, children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);

  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // In a layout effect, so the dialog is open before the children's effects focus their field.
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      const now = document.activeElement;
      // Only when nothing else took the focus on purpose (an action run from the dialog may have).
      if ((now === null || now === document.body || dialog.contains(now)) && previous?.isConnected) previous.focus();
    };
  }, []);

  useEffect(() => {
    const dialog = ref.current;
    // Runs after the children's effects: when none of them asked for the focus, the first control gets it.
    if (dialog && (document.activeElement === dialog || !dialog.contains(document.activeElement))) focusables(dialog)[0]?.focus();
  }, []);

  const keyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    // Plain keys belong to the dialog, never to a pane it was opened from (the timeline's row
    // keys…); chords still reach the window, so Ctrl+K and Alt+1…9 work from anywhere.
    if (!event.ctrlKey && !event.metaKey && !event.altKey) event.stopPropagation();
    onKeyDown?.(event);
    if (event.defaultPrevented) return;
    if (event.key === 'Escape') {
      // Also keeps the browser from closing the <dialog> behind React's back.
      event.preventDefault();
      onClose();
    } else if (event.key === 'Tab' && ref.current) {
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
    }
  };

  // A click on the backdrop lands on the <dialog> itself, outside its box.
  const click = (event: MouseEvent<HTMLDialogElement>) => {
    if (event.target !== ref.current) return;
    const box = ref.current.getBoundingClientRect();
    const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
    if (!inside) onClose();
  };

  return (
    <dialog
      ref={ref}
      className={`modal dialog ${className ?? ''}`}
      aria-modal="true"
      aria-labelledby={labelledBy ?? `${id}-heading`}
      onKeyDown={keyDown}
      onClick={click}
      // Esc reaching the browser while the focus is on the page behind (it cannot be, but a
      // disabled button may drop it): close through React, never natively.
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {title !== undefined && <h2 id={`${id}-heading`}>{title}</h2>}
      {children}
    </dialog>
  );
}
