import { PLATFORM_ONLY } from '../../datasource/infrastructure/model';
import { orchestratorNode } from '../../datasource/infrastructure/testing';
import { agentMissingGroups, datasourceProblemOf, latestUnknownReason } from './summary';

describe('header texts', () => {
  it('why the latest version is unknown', () => {
    expect(latestUnknownReason({ latestVersionError: 'registry.npmjs.org: timeout', latestVersionSource: 'npm' })).toBe(
      'latest version unknown: registry.npmjs.org: timeout'
    );
    expect(latestUnknownReason({ latestVersionError: null, latestVersionSource: 'none' })).toContain(
      'no latest-version source is configured'
    );
    expect(latestUnknownReason({ latestVersionError: null, latestVersionSource: 'platform' })).toBe(
      'the latest version is not known'
    );
  });

  it('agent fields nobody reported, grouped by reason in row order', () => {
    expect(
      agentMissingGroups({
        uptimeSeconds: PLATFORM_ONLY,
        memoryUsedMb: PLATFORM_ONLY,
        version: 'set agentHealthPort',
        memoryAvailableMb: PLATFORM_ONLY,
      })
    ).toEqual([
      { reason: PLATFORM_ONLY, labels: ['Agent memory', 'uptime'] },
      { reason: 'set agentHealthPort', labels: ['Agent version'] },
    ]);
    expect(agentMissingGroups({})).toEqual([]);
  });
});

describe('datasourceProblemOf', () => {
  const db = {
    type: 'database_unavailable',
    message: 'The orchestrator database could not be read: x',
    severity: 'warning',
  };
  const down = {
    type: 'orchestrator_unreachable',
    message: 'Orchestrator orch-c is not reachable',
    severity: 'critical',
  };

  it('a configured source that failed, or no orchestrator answering, is a datasource problem', () => {
    expect(datasourceProblemOf({ alerts: [db, down], orchestrators: [orchestratorNode({ instanceId: 'a' })] })).toBe(
      'The orchestrator database could not be read: x'
    );
    expect(
      datasourceProblemOf({
        alerts: [],
        orchestrators: [orchestratorNode({ url: 'http://127.0.0.1:9', error: 'ECONNREFUSED' })],
      })
    ).toBe('no orchestrator answered: ECONNREFUSED');
  });

  it('one node down among answering ones is a finding about the cluster, not about the datasource', () => {
    expect(
      datasourceProblemOf({
        alerts: [down],
        orchestrators: [orchestratorNode({ instanceId: 'a' }), orchestratorNode({ instanceId: 'c', error: 'down' })],
      })
    ).toBeUndefined();
    expect(datasourceProblemOf({ alerts: [], orchestrators: [] })).toBeUndefined();
  });
});
