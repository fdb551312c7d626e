import { emptySeen, orchestratorNames } from './names';

const A = 'http://127.0.0.1:7401';
const C = 'http://127.0.0.1:7403/';

describe('orchestratorNames', () => {
  test('a URL that answered is named by its own /cluster/health; a down one by the peer advertising its address', () => {
    const seen = emptySeen();
    seen.answered.set(A, 'orch-a');
    seen.peers.push({ address: 'http://127.0.0.1:7403', instanceId: 'orch-c', connected: false });
    seen.peers.push({ address: 'http://127.0.0.1:7401', instanceId: 'orch-a', connected: true });
    const names = orchestratorNames([A, C, 'http://127.0.0.1:9'], seen, new Map());
    expect([...names]).toEqual([
      [A, 'orch-a'],
      [C, 'orch-c'],
    ]);
  });

  test('peers that disagree about an address name nobody; the last answer of this instance is kept', () => {
    const remembered = new Map<string, string>();
    const first = emptySeen();
    first.answered.set(C, 'orch-c');
    orchestratorNames([C], first, remembered);
    const later = emptySeen();
    later.peers.push(
      { address: C, instanceId: 'orch-x', connected: true },
      { address: C, instanceId: 'orch-y', connected: true }
    );
    expect(orchestratorNames([C], later, remembered).get(C)).toBe('orch-c');
    expect(orchestratorNames([C], later, new Map()).get(C)).toBeUndefined();
  });

  test('one unnamed URL and one disconnected peer nobody else names: that peer (as the Infrastructure tree links it)', () => {
    const seen = emptySeen();
    seen.answered.set(A, 'orch-a');
    seen.peers.push(
      { address: null, instanceId: 'orch-a', connected: true },
      { address: null, instanceId: 'orch-c', connected: false }
    );
    expect(orchestratorNames([A, C], seen, new Map()).get(C)).toBe('orch-c');
    // Two unnamed URLs: no guess.
    expect(orchestratorNames([A, C, 'http://other:1'], seen, new Map()).get(C)).toBeUndefined();
    // The silent peer is connected (it answers its peers): no guess either.
    seen.peers[1] = { address: null, instanceId: 'orch-c', connected: true };
    expect(orchestratorNames([A, C], seen, new Map()).get(C)).toBeUndefined();
  });
});
