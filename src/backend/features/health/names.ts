// The health matrix names each configured orchestrator URL with the instance id it answered as (/cluster/health), or
// the one its peers give that address (/cluster/peers: a node down now is still named), or the last one it answered
// as in this datasource instance, or — as the Infrastructure tree does (normalize.ts, step 4) — by elimination when
// exactly one URL is unnamed and the peers report exactly one other node, disconnected. The Infrastructure page names
// nodes by instance id: both pages then show both.

/** What the cluster probes saw: the id each URL answered as, and each peer's advertised address. */
export interface SeenNames {
  answered: Map<string, string>;
  peers: Array<{ address: string | null; instanceId: string; connected: boolean }>;
}

export const emptySeen = (): SeenNames => ({ answered: new Map(), peers: [] });

export function hostPort(url: string): string | null {
  try {
    const u = new URL(url);
    const port = u.port || (u.protocol === 'https:' || u.protocol === 'wss:' ? '443' : '80');
    return `${u.hostname.toLowerCase()}:${port}`;
  } catch {
    return null;
  }
}

/** URL -> instance id for every configured URL some answer names; `remembered` keeps earlier answers. */
export function orchestratorNames(
  urls: string[],
  seen: SeenNames,
  remembered: Map<string, string>
): Map<string, string> {
  const names = new Map<string, string>();
  for (const url of urls) {
    const own = seen.answered.get(url);
    if (own) {
      remembered.set(url, own);
      names.set(url, own);
      continue;
    }
    const hp = hostPort(url);
    const ids = new Set(
      seen.peers.filter((p) => hp !== null && p.address && hostPort(p.address) === hp).map((p) => p.instanceId)
    );
    const byPeers = ids.size === 1 ? [...ids][0] : undefined;
    const name = byPeers ?? remembered.get(url);
    if (name) {
      names.set(url, name);
    }
  }
  const unnamed = urls.filter((u) => !names.has(u));
  const named = new Set(names.values());
  const dead = new Set(seen.peers.filter((p) => !p.connected && !named.has(p.instanceId)).map((p) => p.instanceId));
  const others = new Set(seen.peers.map((p) => p.instanceId).filter((id) => !named.has(id)));
  if (unnamed.length === 1 && dead.size === 1 && others.size === 1) {
    names.set(unnamed[0], [...dead][0]);
  }
  return names;
}
