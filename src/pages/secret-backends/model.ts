import { asSentence, roleAtLeast, roleReason } from '../../components/roles';
import type { ActionAnswer, BackendAction, SecretBackendList } from './api';

export type HealthColor = 'green' | 'orange' | 'red' | 'darkgrey';

/** KiCI's health_status values (healthy | degraded | unreachable | unknown) by colour; anything else is unknown. */
export function healthColor(status: string): HealthColor {
  switch (status) {
    case 'healthy':
      return 'green';
    case 'degraded':
      return 'orange';
    case 'unreachable':
      return 'red';
    default:
      return 'darkgrey';
  }
}

/** sync_interval_ms in words: 300000 -> "every 5 min", 90000 -> "every 1 min 30 s". */
export function formatInterval(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) {
    return 'no periodic sync';
  }
  let seconds = Math.round(ms / 1000);
  if (seconds === 0) {
    return `every ${ms} ms`;
  }
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(seconds / size);
    if (n > 0) {
      parts.push(`${n} ${unit}`);
      seconds -= n * size;
    }
  }
  return `every ${parts.join(' ')}`;
}

export const ACTION_LABEL: Record<BackendAction, string> = { sync: 'Sync', test: 'Test' };

/** The result of a Sync or Test as shown on the card and in the toast. */
export interface Outcome {
  action: BackendAction;
  ok: boolean;
  title: string;
  detail: string;
  /** Epoch ms when the answer arrived. */
  at: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function describeAnswer(answer: ActionAnswer, at: number): Outcome {
  const name = `“${answer.backend}”`;
  if (answer.action === 'test') {
    return answer.ok
      ? {
          action: 'test',
          ok: true,
          title: `Test of ${name} passed`,
          detail: `Reachable in ${answer.latencyMs} ms (through ${answer.orchestrator}).`,
          at,
        }
      : {
          action: 'test',
          ok: false,
          title: `Test of ${name} failed`,
          detail: `${answer.error ?? 'no reason given'} (after ${answer.latencyMs} ms, through ${answer.orchestrator}).`,
          at,
        };
  }
  if (!answer.ok) {
    // KiCI answers synced:true and keeps the error in last_sync_error; the backend read it after the call.
    return {
      action: 'sync',
      ok: false,
      title: `Sync of ${name} failed`,
      detail: answer.error ?? 'no reason recorded',
      at,
    };
  }
  if (!answer.verified) {
    return {
      action: 'sync',
      ok: true,
      title: `Sync of ${name} requested`,
      detail: `The orchestrator reports ${plural(answer.reportedScopeCount, 'scope')}. ${answer.note ?? ''}`.trim(),
      at,
    };
  }
  return {
    action: 'sync',
    ok: true,
    title: `Sync of ${name} succeeded`,
    detail: `${plural(answer.scopeCount, 'scope')} synced.`,
    at,
  };
}

export function describeFailure(action: BackendAction, backend: string, message: string, at: number): Outcome {
  return { action, ok: false, title: `${ACTION_LABEL[action]} of “${backend}” failed`, detail: message, at };
}

export interface Availability {
  enabled: boolean;
  /** Why the button is disabled. */
  reason?: string;
}

/** Whether the caller may press Sync / Test now: the resource says whether the user may; one action at a time. */
export function availability(
  list: SecretBackendList | undefined,
  action: BackendAction,
  running: { action: BackendAction; backend: string } | undefined,
  /** The user's Grafana role, for the wording of a role that is too low. */
  role?: string
): Availability {
  if (!list) {
    return { enabled: false, reason: 'Loading the secret backends…' };
  }
  const allowed = action === 'sync' ? list.canSync : list.canTest;
  if (!allowed) {
    if (role && !roleAtLeast(role, list.minRole)) {
      return { enabled: false, reason: roleReason('Sync and Test', list.minRole, role) };
    }
    return { enabled: false, reason: asSentence(list.disabledReason ?? `${ACTION_LABEL[action]} is not available`) };
  }
  if (running) {
    return {
      enabled: false,
      reason: `Waiting for the ${ACTION_LABEL[running.action]} of “${running.backend}” to finish`,
    };
  }
  return { enabled: true };
}

export function confirmText(action: BackendAction, backend: string): { title: string; body: string } {
  return action === 'sync'
    ? {
        title: `Sync “${backend}” now?`,
        body: 'The orchestrator refreshes the scopes of this secret backend immediately instead of waiting for its sync interval. The action is logged with your Grafana user.',
      }
    : {
        title: `Test “${backend}”?`,
        body: 'The orchestrator checks that it can reach this secret backend. Its stored health status is not changed. The action is logged with your Grafana user.',
      };
}
