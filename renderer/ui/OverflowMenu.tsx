import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import './OverflowMenu.css';

/**
 * A "More ▾" button that shows a few low-priority actions under it (a disclosure, not an ARIA
 * menu: the actions stay plain buttons reached with Tab). Esc, a click elsewhere or the focus
 * leaving it closes it; choosing an action closes it and leaves the focus on "More", so a
 * dialog the action opens gives the focus back there when it closes.
 */
export function OverflowMenu({ label, title, className, children }: { label: string; title?: string; className?: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const listId = useId();

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!box.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const close = () => {
    // Before the list goes: the focus would otherwise fall to the page with it.
    toggle.current?.focus();
    setOpen(false);
  };

  return (
    <div
      ref={box}
      className={`overflow-menu${className ? ` ${className}` : ''}`}
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || !open) return;
        // Esc closes the list only, not whatever holds the header.
        event.preventDefault();
        event.stopPropagation();
        close();
      }}
      onBlur={(event) => {
        if (open && !box.current?.contains(event.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button ref={toggle} type="button" aria-expanded={open} aria-controls={listId} title={title} onClick={() => setOpen(!open)}>
        {label} <span aria-hidden="true">▾</span>
      </button>
      {open && (
        // A click on any action in the list (it bubbles here) closes the list.
        <div id={listId} className="overflow-menu-list" onClick={(event) => (event.target as HTMLElement).closest('button') && close()}>
          {children}
        </div>
      )}
    </div>
  );
}
