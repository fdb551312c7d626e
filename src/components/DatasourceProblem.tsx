// One message at the top of a page whose KiCI queries fail: the datasource's own health message and where to fix it,
// instead of a "No data" on every panel. The health check runs only once a query failed (it probes every source).
// It watches the page's query runners of the datasource, and the resource calls a page reports with
// reportDatasourceResult (Infrastructure, Secret backends, the DLQ read through resources, not runners).
import { BusEventWithPayload, LoadingState } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import {
  sceneGraph,
  type SceneComponentProps,
  SceneFlexItem,
  SceneFlexLayout,
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
    title: `${failed.count} ${failed.count === 1 ? 'request' : 'requests'} to the KiCI datasource failed`,
    message: `${failed.firstError}${health?.status === 'OK' ? ' (the datasource health check passes: this is a partial failure)' : ''}`,
    fixUrl,
  };
}

interface ResultPayload {
  datasourceUid: string;
  /** What the page read (e.g. "GET infrastructure"): one failure per source is kept until it answers again. */
  source: string;
  /** undefined: it answered. */
  error?: string;
}

/** A page's resource call of the KiCI datasource failed or answered; bubbles to the page's DatasourceProblemScene. */
export class DatasourceResultEvent extends BusEventWithPayload<ResultPayload> {
  static type = 'kici-datasource-result';
}

export function reportDatasourceResult(from: SceneObject, payload: ResultPayload) {
  from.publishEvent(new DatasourceResultEvent(payload), true);
}

interface State extends SceneObjectState {
  datasourceUid: string;
  problem?: DatasourceProblem;
}

export class DatasourceProblemScene extends SceneObjectBase<State> {
  static Component = DatasourceProblemRenderer;
  private checking = false;
  private runners: SceneQueryRunner[] = [];
  /** Failing resource calls reported by the page, by source. */
  private readonly reported = new Map<string, string>();

  constructor(state: { datasourceUid: string }) {
    super(state);
    this.addActivationHandler(() => {
      // The page's runners and resource readers sit under its siblings: look from the scene's root.
      const root = rootOf(this);
      this.runners = sceneGraph
        .findAllObjects(root, (o) => o instanceof SceneQueryRunner)
        .filter(
          (r) => (r as SceneQueryRunner).state.datasource?.uid === this.state.datasourceUid
        ) as SceneQueryRunner[];
      const subs = this.runners.map((r) => r.subscribeToState(() => this.onResults()));
      subs.push(root.subscribeToEvent(DatasourceResultEvent, (e) => this.onReported(e.payload)));
      this.onResults();
      return () => subs.forEach((s) => s.unsubscribe());
    });
  }

  private onReported(p: ResultPayload) {
    if (p.datasourceUid !== this.state.datasourceUid) {
      return;
    }
    if (p.error === undefined) {
      this.reported.delete(p.source);
    } else {
      this.reported.set(p.source, p.error);
    }
    this.onResults();
  }

  private onResults() {
    const runners = this.runners;
    const errors = [
      ...runners
        .map((r) => r.state.data)
        .filter((d) => d?.state === LoadingState.Error || (d?.errors?.length ?? 0) > 0)
        .map((d) => d?.errors?.[0]?.message ?? 'the query failed'),
      ...this.reported.values(),
    ];
    if (errors.length === 0) {
      if (this.state.problem && runners.every((r) => r.state.data?.state === LoadingState.Done)) {
        this.setState({ problem: undefined });
      }
      return;
    }
    if (this.checking) {
      return;
    }
    this.checking = true;
    void this.health().then((health) => {
      this.checking = false;
      this.setState({
        problem: describeProblem(this.state.datasourceUid, { count: errors.length, firstError: errors[0] }, health),
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

/** A page body with the datasource message above it (the same message on every page that reads the datasource). */
export function withDatasourceProblem(datasourceUid: string, body: SceneObject): SceneFlexLayout {
  return new SceneFlexLayout({
    direction: 'column',
    children: [
      new SceneFlexItem({
        key: 'datasource-problem',
        ySizing: 'content',
        body: new DatasourceProblemScene({ datasourceUid }),
      }),
      new SceneFlexItem({ key: 'page-body', body }),
    ],
  });
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
      {/* The health message has one line per failing check. */}
      <div style={{ whiteSpace: 'pre-line' }}>{problem.message}</div>
      <TextLink href={problem.fixUrl} inline={false}>
        Fix it in the KiCI datasource settings
      </TextLink>
    </Alert>
  );
}
