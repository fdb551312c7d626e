import { AppEvents } from '@grafana/data';
import { config, getAppEvents } from '@grafana/runtime';
import { sceneGraph, SceneObjectBase, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { Alert, ConfirmModal, EmptyState, Stack, Text } from '@grafana/ui';
import React from 'react';

import { reportDatasourceResult } from '../../components/DatasourceProblem';
import { useReturnFocus } from '../../components/focus';
import { testIds } from '../../components/testIds';
import { type BackendAction, SecretBackendResources, type SecretBackendList } from './api';
import { BackendCard } from './BackendCard';
import { availability, confirmText, describeAnswer, describeFailure, type Outcome } from './model';

interface ActionRef {
  action: BackendAction;
  backend: string;
}

export interface SecretBackendsState extends SceneObjectState {
  datasourceUid: string;
  loading: boolean;
  list?: SecretBackendList;
  loadError?: string;
  /** The last Sync / Test result per backend, shown on its card. */
  outcomes: Record<string, Outcome>;
  /** The action waiting for confirmation. */
  pending?: ActionRef;
  running?: ActionRef;
}

/** Loads `GET secret-backends` (again on every refresh of the time range) and runs confirmed Sync / Test. */
export class SecretBackendsScene extends SceneObjectBase<SecretBackendsState> {
  static Component = SecretBackendsRenderer;
  private readonly resources: SecretBackendResources;
  private loads = 0;

  constructor(state: Pick<SecretBackendsState, 'datasourceUid'> & Partial<SecretBackendsState>) {
    super({ loading: false, outcomes: {}, ...state });
    this.resources = new SecretBackendResources(state.datasourceUid);
    this.addActivationHandler(() => {
      void this.load();
      const sub = sceneGraph.getTimeRange(this).subscribeToState(() => void this.load());
      return () => sub.unsubscribe();
    });
  }

  private report(error?: string) {
    reportDatasourceResult(this, { datasourceUid: this.state.datasourceUid, source: 'GET secret-backends', error });
  }

  async load(): Promise<void> {
    const load = ++this.loads;
    this.setState({ loading: true });
    try {
      const list = await this.resources.list();
      if (load === this.loads) {
        this.setState({ list, loadError: undefined, loading: false });
        this.report();
      }
    } catch (err) {
      if (load === this.loads) {
        this.setState({ loadError: (err as Error).message, loading: false });
        this.report((err as Error).message);
      }
    }
  }

  /** Opens the confirmation; ignored when the action is not available (the button is disabled then). */
  ask(action: BackendAction, backend: string): void {
    if (availability(this.state.list, action, this.state.running).enabled) {
      this.setState({ pending: { action, backend } });
    }
  }

  dismiss(): void {
    this.setState({ pending: undefined });
  }

  async confirm(): Promise<void> {
    const pending = this.state.pending;
    if (!pending || this.state.running) {
      return;
    }
    this.setState({ pending: undefined, running: pending });
    let outcome: Outcome;
    try {
      outcome = describeAnswer(await this.resources.run(pending.action, pending.backend), Date.now());
    } catch (err) {
      outcome = describeFailure(pending.action, pending.backend, (err as Error).message, Date.now());
    }
    this.setState({ running: undefined, outcomes: { ...this.state.outcomes, [pending.backend]: outcome } });
    getAppEvents()?.publish({
      type: outcome.ok ? AppEvents.alertSuccess.name : AppEvents.alertError.name,
      payload: [outcome.title, outcome.detail],
    });
    // A sync changes last_sync_at, scope_count and last_sync_error: show the stored state.
    await this.load();
  }
}

function SecretBackendsRenderer({ model }: SceneComponentProps<SecretBackendsScene>) {
  const { list, loadError, loading, outcomes, pending, running } = model.useState();
  const role = config.bootData?.user?.orgRole;
  const sync = availability(list, 'sync', running, role);
  const test = availability(list, 'test', running, role);
  const confirm = pending ? confirmText(pending.action, pending.backend) : undefined;
  const remember = useReturnFocus(Boolean(pending || running));
  return (
    <div data-testid={testIds.secretBackends.list}>
      <Stack direction="column" gap={2}>
        {loadError && (
          <Alert severity="error" title="Could not load the secret backends" data-testid={testIds.secretBackends.error}>
            {loadError}
          </Alert>
        )}
        {list && !list.canSync && !list.canTest && sync.reason && (
          <Alert
            severity="info"
            title="Sync and Test are unavailable"
            data-testid={testIds.secretBackends.disabledReason}
          >
            {sync.reason}
          </Alert>
        )}
        {list && (
          <Text color="secondary" variant="bodySmall">
            Read from the{' '}
            {list.source === 'database' ? 'orchestrator database (secret_backends)' : 'orchestrator admin API'}. KiCI
            checks the health of enabled backends every 60 s and syncs each at its interval.
          </Text>
        )}
        {list && list.backends.length === 0 && (
          <div data-testid={testIds.secretBackends.empty}>
            <EmptyState variant="not-found" message="No secret backends">
              This orchestrator has no secret backend registered. Add one with <code>kici-admin backend add</code>.
            </EmptyState>
          </div>
        )}
        {!list && loading && <Text color="secondary">Loading secret backends…</Text>}
        {list?.backends.map((b) => (
          <BackendCard
            key={b.name}
            backend={b}
            sync={sync}
            test={test}
            running={running?.backend === b.name ? running.action : undefined}
            outcome={outcomes[b.name]}
            onAction={(action) => {
              remember(`${action}:${b.name}`);
              model.ask(action, b.name);
            }}
          />
        ))}
      </Stack>
      <ConfirmModal
        isOpen={Boolean(pending)}
        title={confirm?.title ?? ''}
        body={confirm?.body}
        confirmText={pending?.action === 'test' ? 'Test' : 'Sync'}
        // Neither Sync nor Test destroys anything: not red (ConfirmModal reads confirmButtonVariant).
        confirmButtonVariant="primary"
        onConfirm={() => void model.confirm()}
        onDismiss={() => model.dismiss()}
      />
    </div>
  );
}
