// One message at the top of a page whose KiCI queries fail: the datasource's own health message and where to fix it,
// instead of a "No data" on every panel. The health check runs only once a query failed (it probes every source).
import { LoadingState } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import {
  sceneGraph,
  type SceneComponentProps,
  SceneObjectBase,
  type SceneObject,
  type SceneObjectState,
  SceneQueryRunner,
} from '@grafana/scenes';
import { Alert, TextLink } from '@grafana/ui';
import React from 'react';
import { lastValueFrom } from 'rxjs';

import { testIds } from './testIds';

export interface HealthAnswer {
  status?: string;
  message?: string;
}

export interface DatasourceProblem {
  title: string;
  message: string;
  fixUrl: string;
}

/** Where Grafana edits a datasource (its connections page). */
export const datasourceSettingsUrl = (uid: string) => `/connections/datasources/edit/${encodeURIComponent(uid)}`;

/** What to say, from the first failed query and the health check's answer (null: it could not be read). */
export function describeProblem(
  uid: string,
  failed: { count: number; firstError: string },
  health: HealthAnswer | null
): DatasourceProblem {
  const fixUrl = datasourceSettingsUrl(uid);
  if (health && health.status && health.status !== 'OK') {
    return {
      title: 'The KiCI datasource is failing its health check',
      message: health.message ?? health.status,
      fixUrl,
    };
  }
  return {
    title: `${failed.count} ${failed.count === 1 ? 'query' : 'queries'} of the KiCI datasource failed`,
    message: `${failed.firstError}${health?.status === 'OK' ? ' (the datasource health check passes: this is a partial failure)' : ''}`,
    fixUrl,
  };
}

interface State extends SceneObjectState {
  datasourceUid: string;
  problem?: DatasourceProblem;
}

export class DatasourceProblemScene extends SceneObjectBase<State> {
  static Component = DatasourceProblemRenderer;
  private checking = false;

  constructor(state: { datasourceUid: string }) {
    super(state);
    this.addActivationHandler(() => {
      // The page's runners sit under its siblings: look from the scene's root.
      const runners = sceneGraph
        .findAllObjects(rootOf(this), (o) => o instanceof SceneQueryRunner)
        .filter(
          (r) => (r as SceneQueryRunner).state.datasource?.uid === this.state.datasourceUid
        ) as SceneQueryRunner[];
      const subs = runners.map((r) => r.subscribeToState(() => this.onQueries(runners)));
      this.onQueries(runners);
      return () => subs.forEach((s) => s.unsubscribe());
    });
  }

  private onQueries(runners: SceneQueryRunner[]) {
    const failed = runners
      .map((r) => r.state.data)
      .filter((d) => d?.state === LoadingState.Error || (d?.errors?.length ?? 0) > 0);
    if (failed.length === 0) {
      if (this.state.problem && runners.every((r) => r.state.data?.state === LoadingState.Done)) {
        this.setState({ problem: undefined });
      }
      return;
    }
    if (this.checking) {
      return;
    }
    const firstError = failed[0]?.errors?.[0]?.message ?? 'the query failed';
    this.checking = true;
    void this.health().then((health) => {
      this.checking = false;
      this.setState({
        problem: describeProblem(this.state.datasourceUid, { count: failed.length, firstError }, health),
      });
    });
  }

  private async health(): Promise<HealthAnswer | null> {
    try {
      const r = await lastValueFrom(
        getBackendSrv().fetch<HealthAnswer>({
          url: `/api/datasources/uid/${encodeURIComponent(this.state.datasourceUid)}/health`,
          showErrorAlert: false,
          showSuccessAlert: false,
        })
      );
      return r.data;
    } catch (err) {
      // Grafana answers a failed health check with 400 and the same body.
      const data = (err as { data?: HealthAnswer }).data;
      return data && typeof data === 'object' ? data : null;
    }
  }
}

function rootOf(o: SceneObject) {
  let cur = o;
  while (cur.parent) {
    cur = cur.parent;
  }
  return cur;
}

function DatasourceProblemRenderer({ model }: SceneComponentProps<DatasourceProblemScene>) {
  const { problem } = model.useState();
  if (!problem) {
    return null;
  }
  return (
    <Alert severity="error" title={problem.title} data-testid={testIds.datasourceProblem}>
      <div>{problem.message}</div>
      <TextLink href={problem.fixUrl} inline={false}>
        Fix it in the KiCI datasource settings
      </TextLink>
    </Alert>
  );
}
