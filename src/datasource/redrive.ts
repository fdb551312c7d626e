// A DLQ redrive's progress as the backend answers `GET dlq/redrive` and the DLQ page reads it: one shape for both sides.
export const REDRIVE_STATES = ['running', 'completed', 'cancelled', 'stopped', 'interrupted'] as const;
export type RedriveState = (typeof REDRIVE_STATES)[number];

export interface RedriveView {
  id: string;
  state: RedriveState;
  rate: number;
  filter: unknown;
  description: string;
  /** The DLQ error signature the redrive was started for (the signatures view), else null. */
  signatureId: string | null;
  matching: number;
  total: number;
  retried: number;
  failed: number;
  remaining: number;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  owner: string;
  heartbeatAt: string;
  cancelRequestedBy: string | null;
  reason: string | null;
  failuresByOutcome: Array<{ outcome: string; count: number }>;
  failures: Array<{ id: string; outcome: string; message: string }>;
}
