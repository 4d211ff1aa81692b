import { z } from 'zod';

export const LEVELS = ['high', 'medium', 'low'] as const;
export const LevelSchema = z.enum(LEVELS);
export type Level = z.infer<typeof LevelSchema>;

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;
export const PrioritySchema = z.enum(PRIORITIES);
export type Priority = z.infer<typeof PrioritySchema>;

/**
 * The ITIL impact × urgency matrix (DOMAIN.md). Each step down from "high" on either axis
 * lowers the priority by one, which reproduces the published 3×3 table exactly.
 */
export function priorityOf(impact: Level, urgency: Level): Priority {
  const rank = (l: Level) => LEVELS.indexOf(l);
  return PRIORITIES[rank(impact) + rank(urgency)]!;
}
