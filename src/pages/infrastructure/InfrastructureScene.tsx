// The Infrastructure tree's scene object: loads `GET infrastructure` on activation and on every refresh of the
// page's time range (the refresh picker), holds the URL-synced search/filter and the expand/paging state.
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import {
  sceneGraph,
  SceneObjectBase,
  type SceneComponentProps,
  type SceneObjectState,
  SceneObjectUrlSyncConfig,
  type SceneObjectUrlValues,
} from '@grafana/scenes';
import type { DataSourceRef } from '@grafana/schema';
import { Alert, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import React from 'react';
import type { Unsubscribable } from 'rxjs';

import { AgentList } from '../../components/infrastructure/AgentList';
import { formatTimestamp } from '../../components/infrastructure/format';
import { reportDatasourceResult } from '../../components/DatasourceProblem';
import { GroupToggle } from '../../components/infrastructure/GroupToggle';
import { OrchestratorRow } from '../../components/infrastructure/OrchestratorRow';
import { ScalerRow } from '../../components/infrastructure/ScalerRow';
import type { InfrastructureFilter } from '../../datasource/infrastructure/filter';
import type { Infrastructure } from '../../datasource/infrastructure/model';
import { testIds } from '../../components/testIds';
import { type FilterKey, InfrastructureFilters, InfrastructureHeader } from './InfrastructureHeader';
import { fetchInfrastructure, loadError } from './load';
import { datasourceProblemOf, latestUnknownReason } from './summary';
import {
  AGENT_PAGE_SIZE,
  type AgentGroup,
  buildTree,
  defaultExpanded,
  isExpanded,
  type TreeView,
  visibleAgents,
} from './tree';

export const FILTER_KEYS: readonly FilterKey[] = ['search', 'host', 'label', 'version'];

export interface InfrastructureSceneState extends SceneObjectState {
  datasource: DataSourceRef;
  model?: Infrastructure;
  /** The last load's error; the previous model stays on screen. */
  error?: string;
  loading: boolean;
  search: string;
  host: string;
  label: string;
  version: string;
  /** Explicit expand/collapse choices, by group key; the rest follow `defaultExpanded`. */
  expanded: Record<string, boolean>;
  /** Agents shown per group key beyond the first page. */
  shown: Record<string, number>;
}

export class InfrastructureScene extends SceneObjectBase<InfrastructureSceneState> {
  static Component = InfrastructureRenderer;

  protected _urlSync = new SceneObjectUrlSyncConfig(this, { keys: [...FILTER_KEYS] });
  private request?: Unsubscribable;
  private cache?: { model: Infrastructure; filter: string; tree: TreeView; defaults: Set<string> };

  constructor(state: Pick<InfrastructureSceneState, 'datasource'> & Partial<InfrastructureSceneState>) {
    super({ loading: false, search: '', host: '', label: '', version: '', expanded: {}, shown: {}, ...state });
    this.addActivationHandler(() => {
      this.load();
      const timeRange = sceneGraph.getTimeRange(this);
      const sub = timeRange.subscribeToState(() => this.load());
      return () => {
        sub.unsubscribe();
        this.request?.unsubscribe();
        this.request = undefined;
      };
    });
  }

  getUrlState(): SceneObjectUrlValues {
    return Object.fromEntries(FILTER_KEYS.map((k) => [k, this.state[k] || undefined]));
  }

  updateFromUrl(values: SceneObjectUrlValues): void {
    const next: Partial<InfrastructureSceneState> = {};
    for (const k of FILTER_KEYS) {
      const v = values[k];
      const text = typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? '') : '';
      if (text !== this.state[k]) {
        next[k] = text;
      }
    }
    if (Object.keys(next).length) {
      this.setState({ ...next, expanded: {}, shown: {} });
    }
  }

  private report(error?: string) {
    reportDatasourceResult(this, {
      datasourceUid: this.state.datasource.uid ?? '',
      source: 'GET infrastructure',
      error,
    });
  }

  /** A new request replaces one still running; the previous model stays until the answer. */
  load(): void {
    this.request?.unsubscribe();
    this.setState({ loading: true });
    this.request = fetchInfrastructure(this.state.datasource).subscribe({
      next: (model) => {
        this.setState({ model, error: undefined, loading: false });
        this.report(datasourceProblemOf(model));
      },
      error: (err) => {
        this.setState({ error: loadError(err), loading: false });
        this.report(loadError(err));
      },
    });
  }

  filter(): InfrastructureFilter {
    const { search, host, label, version } = this.state;
    return { text: search, host, label, version };
  }

  /** Changing a filter resets expand choices: the new tree opens what it matched. */
  setFilter(key: FilterKey, value: string): void {
    this.setState({ [key]: value, expanded: {}, shown: {} } as Partial<InfrastructureSceneState>);
  }

  clearFilters(): void {
    this.setState({ search: '', host: '', label: '', version: '', expanded: {}, shown: {} });
  }

  /** The filtered tree and its default expansion, recomputed only when the model or the filter changes. */
  tree(): { tree: TreeView; defaults: Set<string> } | undefined {
    const model = this.state.model;
    if (!model) {
      return undefined;
    }
    const filter = this.filter();
    const key = JSON.stringify(filter);
    if (this.cache?.model !== model || this.cache.filter !== key) {
      const tree = buildTree(model, filter);
      this.cache = { model, filter: key, tree, defaults: defaultExpanded(tree) };
    }
    return { tree: this.cache.tree, defaults: this.cache.defaults };
  }

  isExpanded(key: string): boolean {
    return isExpanded(key, this.state.expanded, this.tree()?.defaults ?? new Set());
  }

  toggle(key: string): void {
    this.setState({ expanded: { ...this.state.expanded, [key]: !this.isExpanded(key) } });
  }

  showMore(key: string): void {
    const now = this.state.shown[key] ?? AGENT_PAGE_SIZE;
    this.setState({ shown: { ...this.state.shown, [key]: now + AGENT_PAGE_SIZE } });
  }
}

const GROUP_TITLES: Record<AgentGroup['kind'], string> = {
  scaler: 'agents',
  unpooled: 'Scaler-spawned agents of no listed pool',
  stateful: 'Stateful agents',
  disconnected: 'Stateful agents no orchestrator holds',
};

const GROUP_EMPTY: Record<AgentGroup['kind'], string> = {
  scaler: 'No agents (idle pool).',
  unpooled: 'None.',
  stateful: 'No stateful agents.',
  disconnected: 'None.',
};

function InfrastructureRenderer({ model: scene }: SceneComponentProps<InfrastructureScene>) {
  const state = scene.useState();
  const styles = useStyles2(getStyles);
  const { model, error, loading } = state;
  const view = scene.tree();

  const groupBlock = (group: AgentGroup, title: string, showOrchestrator = false) => {
    const open = scene.isExpanded(group.key);
    const { agents, remaining } = visibleAgents(group, state.shown);
    return (
      <div key={group.key} className={styles.group}>
        <GroupToggle
          expanded={open}
          onToggle={() => scene.toggle(group.key)}
          label={title}
          testId={testIds.infrastructure.agentGroup}
          group={group.kind}
        >
          {title} ({group.agents.length})
        </GroupToggle>
        {open && (
          <div className={styles.groupBody}>
            <AgentList
              agents={agents}
              remaining={remaining}
              onShowMore={() => scene.showMore(group.key)}
              latestVersion={model?.latestVersion ?? null}
              agentMissing={model?.agentMissing ?? {}}
              showOrchestrator={showOrchestrator}
              empty={GROUP_EMPTY[group.kind]}
            />
          </div>
        )}
      </div>
    );
  };

  return (
    <div data-testid={testIds.infrastructure.page} className={styles.page}>
      <InfrastructureFilters
        values={{ search: state.search, host: state.host, label: state.label, version: state.version }}
        onChange={(key, value) => scene.setFilter(key, value)}
        onClear={() => scene.clearFilters()}
      />
      {error && (
        <Alert severity="error" title="Could not load the infrastructure" data-testid={testIds.infrastructure.error}>
          {error}
          {model && <div>Showing the snapshot of {formatTimestamp(Date.parse(model.generatedAt))}.</div>}
        </Alert>
      )}
      {!model && !error && <LoadingPlaceholder text="Loading the infrastructure…" />}
      {model && view && (
        <>
          <InfrastructureHeader model={model} loading={loading} />
          {model.alerts.map((a, i) => (
            <Alert
              key={`${a.type}-${i}`}
              severity={a.severity === 'critical' ? 'error' : a.severity === 'warning' ? 'warning' : 'info'}
              title={a.message}
              data-testid={testIds.infrastructure.alert}
            />
          ))}
          {view.tree.filtered && view.tree.orchestrators.length === 0 && view.tree.disconnected.agents.length === 0 && (
            <div data-testid={testIds.infrastructure.noMatch}>Nothing matches the filter.</div>
          )}
          {!view.tree.filtered && model.orchestrators.length === 0 && (
            <div data-testid={testIds.infrastructure.noMatch}>No orchestrator is known to the datasource.</div>
          )}
          {view.tree.orchestrators.map((o) => (
            <OrchestratorRow
              key={o.key}
              node={o.node}
              source={model.source}
              latestVersion={model.latestVersion}
              latestUnknownReason={latestUnknownReason(model)}
              expanded={scene.isExpanded(o.key)}
              onToggle={() => scene.toggle(o.key)}
            >
              {o.scalers.map(({ pool, group }) => {
                const open = scene.isExpanded(group.key);
                const { agents, remaining } = visibleAgents(group, state.shown);
                return (
                  <div key={group.key} className={styles.group}>
                    <ScalerRow
                      pool={pool}
                      orchestratorHostname={o.node.hostname}
                      toggle={
                        <GroupToggle
                          expanded={open}
                          onToggle={() => scene.toggle(group.key)}
                          label={`agents of ${pool.name}`}
                          testId={testIds.infrastructure.agentGroup}
                          group="scaler"
                        >
                          {group.agents.length} {group.agents.length === 1 ? 'agent' : 'agents'}
                        </GroupToggle>
                      }
                    />
                    {open && (
                      <div className={styles.groupBody}>
                        <AgentList
                          agents={agents}
                          remaining={remaining}
                          onShowMore={() => scene.showMore(group.key)}
                          latestVersion={model.latestVersion}
                          agentMissing={model.agentMissing}
                          empty={GROUP_EMPTY.scaler}
                        />
                      </div>
                    )}
                  </div>
                );
              })}
              {o.node.scalers.length === 0 && o.node.missing.scalers && (
                <div className={styles.dim}>Scaler pools: {o.node.missing.scalers}</div>
              )}
              {o.unpooled.agents.length > 0 && groupBlock(o.unpooled, GROUP_TITLES.unpooled)}
              {groupBlock(o.stateful, GROUP_TITLES.stateful)}
            </OrchestratorRow>
          ))}
          {view.tree.disconnected.agents.length > 0 && (
            <div data-testid={testIds.infrastructure.disconnected} className={styles.disconnected}>
              {groupBlock(view.tree.disconnected, GROUP_TITLES.disconnected, true)}
            </div>
          )}
        </>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), width: '100%' }),
  dim: css({ color: theme.colors.text.secondary }),
  group: css({ padding: theme.spacing(0.25, 0) }),
  groupBody: css({ paddingLeft: theme.spacing(3) }),
  disconnected: css({ marginTop: theme.spacing(2) }),
});
