import type { ReactNode } from 'react';
import type { TimelineBadge } from '../../../shared/timeline/timeline.js';

/**
 * One glyph per entry kind, drawn inline so the strict CSP needs no image source and the
 * icon takes the kind's colour from CSS. The kind's name is always written next to it, so
 * the icons are decoration for the eye scanning a long timeline, hidden from screen readers.
 */
const PATHS: Record<TimelineBadge, ReactNode> = {
  note: <path d="M4 1.5h5.5l3 3v10h-8.5zM6 7.5h5M6 10.5h5" />,
  decision: <path d="M4 15V1.5M4 2.5h8.5l-2 3 2 3H4" />,
  action: <path d="M9.5 1 3 9h4.5L6.5 15 13 7H8.5z" />,
  finding: (
    <>
      <circle cx="7" cy="7" r="4.5" />
      <path d="m10.3 10.3 4.2 4.2" />
    </>
  ),
  hypothesis: (
    <>
      <path d="M5.3 5.6a2.8 2.8 0 1 1 3.9 2.6c-.8.4-1.2.9-1.2 1.8v.6" />
      <path d="M8 13.2v.3" />
    </>
  ),
  external: <path d="M8 1.8 15 14H1zM8 6.5v3.5M8 12v.3" />,
  declared: <path d="m8 1.5 2 4.3 4.6.5-3.4 3.2 1 4.5L8 11.7 3.8 14l1-4.5-3.4-3.2 4.6-.5z" />,
  status: (
    <>
      <circle cx="8" cy="8" r="6" />
      <circle cx="8" cy="8" r="2" className="fill" />
    </>
  ),
  priority: <path d="m3 8.5 5-5 5 5M3 13l5-5 5 5" />,
  role: (
    <>
      <circle cx="8" cy="5" r="3" />
      <path d="M2.5 15c0-3.3 2.5-5 5.5-5s5.5 1.7 5.5 5" />
    </>
  ),
  handoff: <path d="M1.5 6h10l-3-3M14.5 10h-10l3 3" />,
  task: (
    <>
      <rect x="2" y="2" width="12" height="12" rx="2" />
      <path d="m5 8 2 2 4-4" />
    </>
  ),
  comms: <path d="M2 3h12v8H7.5L4.5 14v-3H2z" />,
  sla: (
    <>
      <circle cx="8" cy="8.5" r="6" />
      <path d="M8 5v3.5l2.5 1.5M6 1h4" />
    </>
  ),
  other: <circle cx="8" cy="8" r="3" />,
};

export function KindIcon({ badge }: { badge: TimelineBadge }) {
  return (
    <svg className="kind-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      {PATHS[badge]}
    </svg>
  );
}

export function StarIcon({ filled }: { filled: boolean }) {
  return (
    <svg className={filled ? 'star-icon filled' : 'star-icon'} viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path d="m8 1.5 2 4.3 4.6.5-3.4 3.2 1 4.5L8 11.7 3.8 14l1-4.5-3.4-3.2 4.6-.5z" />
    </svg>
  );
}
