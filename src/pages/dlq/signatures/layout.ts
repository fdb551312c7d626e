// The DLQ page's body with the signatures view under the triage list.
import { SceneFlexItem, SceneFlexLayout, type SceneObject } from '@grafana/scenes';
import type { DataSourceRef } from '@grafana/schema';

import { DlqSignaturesScene } from './DlqSignaturesScene';

export function withSignatures(triage: SceneObject, datasource: DataSourceRef): SceneFlexLayout {
  return new SceneFlexLayout({
    direction: 'column',
    children: [
      new SceneFlexItem({ body: triage }),
      new SceneFlexItem({ body: new DlqSignaturesScene({ datasource }) }),
    ],
  });
}
