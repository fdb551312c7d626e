// The per-orchestrator kici-admin helper: copy-ready service commands for the node's deployment shape
// (`kici-admin orchestrator status|logs|restart`, contract §10). The page shows them; it never runs them.
import type { Deployment, OrchestratorNode } from '../../datasource/infrastructure/model';

export interface AdminCommand {
  label: string;
  command: string;
}

export interface AdminCommandHelper {
  /** e.g. `systemd service`, `compose (podman container kici-orchestrator)`, `unknown`. */
  shape: string;
  commands: AdminCommand[];
  note: string;
}

const SERVICE_PLATFORMS = new Set(['systemd', 'launchd', 'windows', 'compose']);

export const INSTANCE_NOTE =
  "Run on the orchestrator's host, in its deploy folder, or add --instance-dir <path> (or --name <service>).";

function shapeText(d: Deployment): string {
  if (d.mode === 'compose') {
    const what = [d.containerRuntime, d.containerName ? `container ${d.containerName}` : null].filter(Boolean);
    return what.length ? `compose (${what.join(' ')})` : 'compose';
  }
  return d.mode === 'windows' ? 'Windows service' : `${d.mode} service`;
}

export function adminCommands(o: Pick<OrchestratorNode, 'deployment' | 'missing'>): AdminCommandHelper {
  const d = o.deployment;
  const platform = d && SERVICE_PLATFORMS.has(d.mode) ? d.mode : null;
  const flag = platform ? ` --platform ${platform}` : '';
  const commands: AdminCommand[] = [
    { label: 'service status and health', command: `kici-admin orchestrator status${flag}` },
    { label: 'logs of the last hour', command: `kici-admin orchestrator logs${flag} --since 1h --no-follow` },
    { label: 'restart', command: `kici-admin orchestrator restart${flag}` },
  ];
  if (d?.mode === 'compose' && d.containerName) {
    commands.push({
      label: 'container logs',
      command: `${d.containerRuntime ?? 'docker'} logs --since 1h ${d.containerName}`,
    });
  }
  if (!d) {
    const why = o.missing.deployment ?? 'not reported';
    return {
      shape: 'unknown',
      commands,
      note: `Deployment shape: ${why}; kici-admin reads the platform from the install manifest. ${INSTANCE_NOTE}`,
    };
  }
  if (!platform) {
    return {
      shape: 'unknown',
      commands,
      note: `The orchestrator could not tell its deployment shape; kici-admin reads the platform from the install manifest. ${INSTANCE_NOTE}`,
    };
  }
  return { shape: shapeText(d), commands, note: INSTANCE_NOTE };
}
