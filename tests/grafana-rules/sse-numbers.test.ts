// The "a new DLQ error signature appeared" alert rule reads dlqSignatures through Grafana's server-side expressions:
// its frame must be one Grafana reads as numbers with labels (sse.ts names the Grafana files and versions). The
// table frame, with its first/last admission times, is read as a long series and refused: the rule asks for
// `format: 'numbers'`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

import { signatureNumbersFrame, signaturesFrame } from '../../src/backend/features/dlq-signatures';
import type { Signature } from '../../src/backend/features/dlq-signatures/group';
import { sseRead } from './sse';

const sig = (id: string, signature: string, count: number): Signature => ({
  id,
  signature,
  count,
  firstAt: new Date('2026-12-05T07:00:00Z'),
  lastAt: new Date('2026-12-05T07:10:00Z'),
  eventNames: ['run.completed'],
  routingKeys: ['github:42'],
  sampleError: null,
  sampleEventId: '6f1c9a52-0000-4000-8000-000000000001',
  admissions: [count],
});
const SIGS = [sig('0a1b2c3d', 'Error: connect ECONNREFUSED <host>', 12), sig('9e8d7c6b', '(no error recorded)', 1)];
const OPTS = { refId: 'A', sql: 'SELECT …' };

it('reads the numbers frame as one number per signature, labelled by signature and signatureId', () => {
  expect(sseRead([signatureNumbersFrame(SIGS, OPTS)])).toEqual({
    kind: 'numbers',
    numbers: [
      {
        name: 'count',
        value: 12,
        labels: { signature: 'Error: connect ECONNREFUSED <host>', signatureId: '0a1b2c3d' },
      },
      { name: 'count', value: 1, labels: { signature: '(no error recorded)', signatureId: '9e8d7c6b' } },
    ],
  });
});

it('reads no new signature as an empty set of numbers (the rule says OK on no data)', () => {
  expect(sseRead([signatureNumbersFrame([], OPTS)])).toEqual({ kind: 'numbers', numbers: [] });
});

it('refuses the table frame: times beside strings make it a long series', () => {
  const table = signaturesFrame(SIGS, { start: 0, stepMs: 60_000, count: 1 }, OPTS);
  expect(sseRead([table])).toEqual({
    kind: 'error',
    message: 'input data must be a wide series but got type long (input refid)',
  });
});

it('the provisioned rule asks dlqSignatures for numbers of the signatures first seen in its range', () => {
  const doc = parse(readFileSync(join(__dirname, '..', '..', 'provisioning', 'alerting', 'kici.yaml'), 'utf8')) as {
    groups: Array<{
      rules: Array<{
        uid: string;
        condition: string;
        noDataState: string;
        data: Array<{ refId: string; model: Record<string, unknown> }>;
      }>;
    }>;
  };
  const rule = doc.groups.flatMap((g) => g.rules).find((r) => r.uid === 'kici-dlq-new-signature')!;
  expect(rule.data[0].model).toMatchObject({ queryType: 'dlqSignatures', format: 'numbers', firstSeenInRange: true });
  expect(rule.data[1].model).toMatchObject({ type: 'threshold', expression: 'A' });
  expect(rule.condition).toBe('B');
  expect(rule.noDataState).toBe('OK');
});
