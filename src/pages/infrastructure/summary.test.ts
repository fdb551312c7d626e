import { PLATFORM_ONLY } from '../../datasource/infrastructure/model';
import { agentMissingGroups, latestUnknownReason } from './summary';

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
