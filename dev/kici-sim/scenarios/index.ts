// Scenario presets by name. Each seeds either schema layout (opts.layout), deterministically (opts.seed).
import { big } from './big';
import { cluster3 } from './cluster-3';
import { dlqBacklog } from './dlq-backlog';
import { healthySingle } from './healthy-single';
import { secretsDegraded } from './secrets-degraded';
import type { Scenario, ScenarioOptions } from './common';

export type { Scenario, ScenarioOptions } from './common';
export { SCOPED_ROUTING_KEY, TOKEN_LABELS, tokensByRole, type TokenKey } from './common';

const SCENARIOS: Record<string, (opts: ScenarioOptions) => Scenario> = {
  'healthy-single': healthySingle,
  'cluster-3': cluster3,
  'dlq-backlog': dlqBacklog,
  'secrets-degraded': secretsDegraded,
  big,
};

export const SCENARIO_NAMES: readonly string[] = Object.keys(SCENARIOS);

export function getScenario(name: string, opts: ScenarioOptions = {}): Scenario {
  const make = SCENARIOS[name];
  if (!make) {
    throw new Error(`Unknown kici-sim scenario "${name}"; known: ${SCENARIO_NAMES.join(', ')}`);
  }
  return make(opts);
}
