import { airlineOutage } from './airline-outage.js';
import { creditBureauBreach } from './credit-bureau-breach.js';
import { retailBreach } from './retail-breach.js';
import type { Scenario } from './schema.js';

/** The scenarios shipped with the console, modelled on the case studies in DOMAIN.md. */
export const SCENARIOS: readonly Scenario[] = [retailBreach, airlineOutage, creditBureauBreach];

export function findScenario(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id);
}
