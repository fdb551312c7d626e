// The redrive panel of the DLQ page: the running redrive's progress (polled, from whichever replica answers), its
// cancel with a confirmation, and the final report. It reappears after a reload because the state is the backend's.
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { SceneObjectBase, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { Alert, ConfirmModal, Stack, Text, useStyles2 } from '@grafana/ui';
import React from 'react';

import { roleAtLeast, roleReason } from '../../../components/roles';
import { testIds } from '../../../components/testIds';
import { GuardedButton, toast } from '../actions';
import { resourceError } from '../api';
import { formatTime } from '../data';
import { type RedriveView, RedriveResources, type StartBody } from './api';
import { counts, report, severity, summary, title } from './model';

export const POLL_MS = 1000;

interface RedriveSceneState extends SceneObjectState {
  view?: RedriveView;
  /** Why the progress could not be read (shown only while a redrive is known). */
  error?: string;
  confirmCancel: boolean;
  cancelling: boolean;
  /** The finished redrive whose report the operator closed (this page view only). */
  dismissed?: string;
  /** The user's Grafana role from `dlq/permissions` (cancel needs Editor, as the backend checks). */
  role?: string;
}

export class RedriveScene extends SceneObjectBase<RedriveSceneState> {
  static Component = RedriveRenderer;
  readonly resources: RedriveResources;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Called when a redrive finishes while the page watches (the list and the stats refresh). */
  onFinished: (() => void) | undefined;
  /** true: a signature's redrive shows in the signatures view (RedrivePanel there), not here. */
  signaturesShowTheirOwn = false;

  constructor(datasourceUid: string) {
    super({ confirmCancel: false, cancelling: false });
    this.resources = new RedriveResources(datasourceUid);
    this.addActivationHandler(() => {
      void this.load();
      return () => this.stopPolling();
    });
  }

  async load(): Promise<void> {
    this.stopPolling();
    const before = this.state.view;
    try {
      const { redrive } = await this.resources.current();
      this.setState({ view: redrive ?? undefined, error: undefined });
      if (before?.state === 'running' && redrive && redrive.id === before.id && redrive.state !== 'running') {
        this.onFinished?.();
      }
    } catch (err) {
      this.setState({ error: resourceError(err).message });
    }
    if (this.state.view?.state === 'running' && this.isActive) {
      this.timer = setTimeout(() => void this.load(), POLL_MS);
    }
  }

  /** Starts a redrive; true when it started (a 409 names the running one, and the panel then shows it). */
  async start(body: StartBody): Promise<boolean> {
    try {
      const { redrive } = await this.resources.start(body);
      this.setState({ view: redrive, error: undefined });
      toast('success', 'Redrive started', `${redrive.total} event(s) at ${redrive.rate} events/s.`);
      void this.load();
      return true;
    } catch (err) {
      const e = resourceError(err);
      toast('error', 'Redrive not started', e.message);
      if (e.status === 409) {
        void this.load();
      }
      return false;
    }
  }

  askCancel(open: boolean) {
    this.setState({ confirmCancel: open });
  }

  async cancel(): Promise<void> {
    const v = this.state.view;
    if (!v) {
      return;
    }
    this.setState({ cancelling: true });
    try {
      const { redrive } = await this.resources.cancel(v.id);
      this.setState({ view: redrive });
    } catch (err) {
      toast('error', 'Cancel failed', resourceError(err).message);
    } finally {
      this.setState({ cancelling: false, confirmCancel: false });
      void this.load();
    }
  }

  dismiss() {
    this.setState({ dismissed: this.state.view?.id });
  }

  private stopPolling() {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}

function RedriveRenderer({ model }: SceneComponentProps<RedriveScene>) {
  const { view } = model.useState();
  if (model.signaturesShowTheirOwn && view?.signatureId) {
    return null;
  }
  return <RedrivePanel model={model} />;
}

/** The panel of the redrive `model` reads; rendered by the scene, or by the signatures view for a signature's one. */
export function RedrivePanel({ model }: { model: RedriveScene }) {
  const styles = useStyles2(getStyles);
  const { view, error, confirmCancel, cancelling, dismissed, role } = model.useState();
  if (!view || view.id === dismissed) {
    return null;
  }
  const running = view.state === 'running';
  const done = view.total === 0 ? 0 : Math.round(((view.retried + view.failed) / view.total) * 100);
  const fmt = (iso: string) => formatTime(Date.parse(iso));
  const final = report(view, fmt);
  return (
    <section aria-label="Redrive" data-testid={testIds.redrive.panel} data-state={view.state}>
      <Alert
        severity={severity(view)}
        title={title(view)}
        onRemove={running ? undefined : () => model.dismiss()}
        buttonContent={running ? undefined : 'Close'}
      >
        <Stack direction="column" gap={1}>
          <div data-testid={testIds.redrive.summary}>{summary(view, fmt)}</div>
          <div
            className={styles.bar}
            role="progressbar"
            aria-label="Redrive progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={done}
          >
            <div className={styles.fill} style={{ width: `${done}%` }} />
          </div>
          <div data-testid={testIds.redrive.counts} aria-live="polite">
            <Text weight="medium">{counts(view)}</Text>
          </div>
          {final && <div data-testid={testIds.redrive.report}>{final}</div>}
          {view.failuresByOutcome.length > 0 && (
            <div data-testid={testIds.redrive.failures}>
              <Text color="secondary">
                Failed: {view.failuresByOutcome.map((f) => `${f.count} ${f.outcome.replace('_', ' ')}`).join(', ')}.
              </Text>
              <ul className={styles.list}>
                {view.failures.slice(0, 5).map((f) => (
                  <li key={f.id}>{f.message}</li>
                ))}
              </ul>
            </div>
          )}
          {error && <Text color="warning">Progress could not be refreshed: {error}</Text>}
          {running && (
            <div>
              <GuardedButton
                verdict={
                  roleAtLeast(role, 'Editor')
                    ? { allowed: true, reason: '' }
                    : { allowed: false, reason: roleReason('Cancel', 'Editor', role) }
                }
                size="sm"
                variant="secondary"
                icon="times"
                data-testid={testIds.redrive.cancel}
                disabled={cancelling || view.cancelRequestedBy !== null}
                onClick={() => model.askCancel(true)}
              >
                {view.cancelRequestedBy ? 'Cancelling…' : 'Cancel redrive'}
              </GuardedButton>
            </div>
          )}
        </Stack>
      </Alert>
      <ConfirmModal
        isOpen={confirmCancel}
        title="Cancel the redrive?"
        body={`${view.retried + view.failed} of ${view.total} event(s) were tried; those retried stay retried. The ${view.remaining} not tried yet stay in the DLQ.`}
        confirmText={cancelling ? 'Cancelling…' : 'Cancel redrive'}
        dismissText="Keep running"
        confirmButtonVariant="destructive"
        disabled={cancelling}
        onConfirm={() => model.cancel()}
        onDismiss={() => model.askCancel(false)}
      />
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  bar: css({
    height: theme.spacing(1),
    width: '100%',
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
    overflow: 'hidden',
  }),
  fill: css({ height: '100%', background: theme.colors.primary.main }),
  list: css({ margin: 0, paddingLeft: theme.spacing(2), overflowWrap: 'anywhere' }),
});
