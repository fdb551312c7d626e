// Command palette entries (grafana/commandpalette/action): Grafana passes an empty context; these always apply.
import { ROUTES } from '../constants';
import { appPath } from './points';

export const PALETTE_TRACES_LINK = {
  title: 'KiCI: find an id in the logs',
  description: 'Find a requestId, runId, jobId, eventId or delivery id in the KiCI logs',
  path: appPath(ROUTES.Traces),
};

export const PALETTE_DLQ_LINK = {
  title: 'KiCI: DLQ',
  description: 'The KiCI event dead-letter queue: triage, retry, discard',
  path: appPath(ROUTES.Dlq),
};
