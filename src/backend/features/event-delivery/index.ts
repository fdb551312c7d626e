// `eventDelivery` query type: how events flow before they reach the DLQ (retry backlog, due retries,
// leases per orchestrator, oldest unprocessed event).
import type { Frame } from '../../protocol/types';
import { requireDb } from '../require-db';
import type { QueryHandler } from '../types';
import { leasesFrame, summaryFrame, type LeaseRow, type SummaryRow } from './frames';
import { DELIVERY_SUMMARY_SQL, LEASE_DURATION_MS, LEASES_BY_NODE_SQL, leaseInterval } from './sql';

export const eventDeliveryQuery: QueryHandler = async (query, env) => {
  const db = requireDb(env.sources, 'event delivery');
  const section = query.model.section;
  const params = [leaseInterval(LEASE_DURATION_MS)];
  const [summary, leases] = await Promise.all([
    section === 'leases' ? null : db.read<SummaryRow>(DELIVERY_SUMMARY_SQL, params, env.ctx.signal),
    section === 'summary' ? null : db.read<LeaseRow>(LEASES_BY_NODE_SQL, params, env.ctx.signal),
  ]);
  const frames: Frame[] = [];
  if (summary) {
    frames.push(summaryFrame(summary[0]));
  }
  if (leases) {
    frames.push(leasesFrame(leases, LEASE_DURATION_MS));
  }
  return { frames };
};
