// Whether a DLQ action is allowed here, and why not, from the `dlq/permissions` answer.
import type { DlqPermissions, DlqVerdict } from './api';

export type DlqAction = 'retry' | 'discard';

const CHECKING: DlqVerdict = { allowed: false, reason: 'checking what you and the admin token may do…' };

export function verdictOf(
  permissions: DlqPermissions | undefined,
  error: string | undefined,
  action: DlqAction
): DlqVerdict {
  if (permissions) {
    return action === 'retry'
      ? { allowed: permissions.canRetry, reason: permissions.retryReason }
      : { allowed: permissions.canDiscard, reason: permissions.discardReason };
  }
  return error ? { allowed: false, reason: `could not check permissions: ${error}` } : CHECKING;
}
