import { PLATFORM_ONLY } from '../../datasource/infrastructure/model';
import { orchestratorNode } from '../../datasource/infrastructure/testing';
import { adminCommands, INSTANCE_NOTE } from './commands';

describe('kici-admin command helper', () => {
  it('systemd: service commands for that platform', () => {
    const h = adminCommands(
      orchestratorNode({ deployment: { mode: 'systemd', containerName: null, containerRuntime: null } })
    );
    expect(h.shape).toBe('systemd service');
    expect(h.commands.map((c) => c.command)).toEqual([
      'kici-admin orchestrator status --platform systemd',
      'kici-admin orchestrator logs --platform systemd --since 1h --no-follow',
      'kici-admin orchestrator restart --platform systemd',
    ]);
    expect(h.note).toBe(INSTANCE_NOTE);
  });

  it('compose: names the container and adds the runtime logs line', () => {
    const h = adminCommands(
      orchestratorNode({
        deployment: { mode: 'compose', containerName: 'kici-orchestrator', containerRuntime: 'podman' },
      })
    );
    expect(h.shape).toBe('compose (podman container kici-orchestrator)');
    expect(h.commands[0].command).toBe('kici-admin orchestrator status --platform compose');
    expect(h.commands.at(-1)).toEqual({
      label: 'container logs',
      command: 'podman logs --since 1h kici-orchestrator',
    });
  });

  it('compose without a known runtime falls back to docker; without a container name, no container line', () => {
    const named = adminCommands(
      orchestratorNode({ deployment: { mode: 'compose', containerName: 'orch', containerRuntime: null } })
    );
    expect(named.commands.at(-1)!.command).toBe('docker logs --since 1h orch');
    const unnamed = adminCommands(
      orchestratorNode({ deployment: { mode: 'compose', containerName: null, containerRuntime: null } })
    );
    expect(unnamed.shape).toBe('compose');
    expect(unnamed.commands).toHaveLength(3);
  });

  it('windows and launchd', () => {
    const w = adminCommands(
      orchestratorNode({ deployment: { mode: 'windows', containerName: null, containerRuntime: null } })
    );
    expect([w.shape, w.commands[2].command]).toEqual([
      'Windows service',
      'kici-admin orchestrator restart --platform windows',
    ]);
    const l = adminCommands(
      orchestratorNode({ deployment: { mode: 'launchd', containerName: null, containerRuntime: null } })
    );
    expect(l.shape).toBe('launchd service');
  });

  it('unknown or unreported shape: commands without --platform, and the reason', () => {
    const unreported = adminCommands(orchestratorNode({ missing: { deployment: PLATFORM_ONLY } }));
    expect(unreported.shape).toBe('unknown');
    expect(unreported.commands[0].command).toBe('kici-admin orchestrator status');
    expect(unreported.note).toContain(`Deployment shape: ${PLATFORM_ONLY}`);
    const unknown = adminCommands(
      orchestratorNode({ deployment: { mode: 'unknown', containerName: null, containerRuntime: null } })
    );
    expect(unknown.commands.map((c) => c.command).some((c) => c.includes('--platform'))).toBe(false);
  });
});
