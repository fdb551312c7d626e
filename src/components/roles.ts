// One wording for every action a role disables (issue 17 item 15): the Grafana role it needs and the one the user has,
// as a sentence; never the login mixed with the role.
const RANK: Record<string, number> = { Viewer: 1, Editor: 2, Admin: 3 };

export function roleAtLeast(role: string | null | undefined, min: string): boolean {
  return (RANK[role ?? ''] ?? 0) >= (RANK[min] ?? Infinity);
}

/** "Retry needs the Editor role in Grafana; you have the Viewer role." */
export function roleReason(what: string, min: string, role: string | null | undefined): string {
  const verb = / and /.test(what) ? 'need' : 'needs';
  return `${what} ${verb} the ${min} role in Grafana; ${role ? `you have the ${role} role` : 'your role is unknown'}.`;
}

/** A reason from elsewhere (the backend) as a sentence: capital first letter, final period. */
export function asSentence(reason: string): string {
  const t = reason.trim();
  if (!t) {
    return t;
  }
  const s = t[0].toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(s) ? s : `${s}.`;
}
