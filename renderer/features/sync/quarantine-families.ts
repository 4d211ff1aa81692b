import type { QuarantineCode } from '../../../shared/record/untrusted.js';

/** The kinds of reason the quarantine dialog's introduction explains, one sentence each (EN/FR). */
export const QUARANTINE_FAMILIES = ['unreadable', 'clock', 'sealed', 'declaration'] as const;
export type QuarantineFamily = (typeof QUARANTINE_FAMILIES)[number];

/** Which family each reason belongs to: a reason added to QUARANTINE_CODES without one fails the typecheck here. */
export const FAMILY_OF: Record<QuarantineCode, QuarantineFamily> = {
  invalid_payload: 'unreadable',
  wrong_stream: 'unreadable',
  refused_by_hub: 'unreadable',
  future_clock: 'clock',
  future_breach: 'clock',
  no_team_key: 'sealed',
  unknown_key: 'sealed',
  not_authentic: 'sealed',
  not_sealed: 'sealed',
  second_declaration: 'declaration',
};
