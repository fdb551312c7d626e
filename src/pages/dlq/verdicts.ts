// Whether a DLQ action is allowed here, and why not, from the `dlq/permissions` answer.
import { asSentence, roleAtLeast, roleReason } from '../../components/roles';
import type { DlqPermissions, DlqVerdict } from './api';

export type DlqAction = 'retry' | 'discard';

const CHECKING: DlqVerdict = { allowed: false, reason: 'Checking what you and the admin token may do…' };

export function verdictOf(
  permissions: DlqPermissions | undefined,
  error: string | undefined,
  action: DlqAction
): DlqVerdict {
  if (permissions) {
    const allowed = action === 'retry' ? permissions.canRetry : permissions.canDiscard;
    if (allowed) {
      return { allowed, reason: '' };
    }
    const min = action === 'retry' ? 'Editor' : permissions.discardMinRole;
    const role = permissions.user?.role;
    // The user's role first, in one wording; other reasons (the admin token) as the backend gives them.
    if (role && !roleAtLeast(role, min)) {
      return { allowed, reason: roleReason(action === 'retry' ? 'Retry' : 'Discard', min, role) };
    }
    return { allowed, reason: asSentence(action === 'retry' ? permissions.retryReason : permissions.discardReason) };
  }
  return error ? { allowed: false, reason: asSentence(`could not check permissions: ${error}`) } : CHECKING;
}
