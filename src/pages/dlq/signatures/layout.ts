// The DLQ page's body with the signatures view under the triage list; both drive the one redrive of the page.
import { SceneFlexItem, SceneFlexLayout } from '@grafana/scenes';
import type { DataSourceRef } from '@grafana/schema';

import type { DlqTriageScene } from '../DlqTriageScene';
import { DlqSignaturesScene } from './DlqSignaturesScene';

export function withSignatures(triage: DlqTriageScene, datasource: DataSourceRef): SceneFlexLayout {
  return new SceneFlexLayout({
    direction: 'column',
    children: [
      new SceneFlexItem({ body: triage }),
      new SceneFlexItem({
        body: new DlqSignaturesScene({
          datasource,
          redrive: triage.state.redrive,
          onDiscarded: () => triage.mutated('discard'),
        }),
      }),
    ],
  });
}
