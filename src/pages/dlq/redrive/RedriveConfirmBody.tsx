// The body of "Retry all matching…": how many events, the rate they leave at (AWS SQS's redrive velocity), and how
// long that takes.
import { Field, Input, Stack, Spinner } from '@grafana/ui';
import React from 'react';

import { testIds } from '../../../components/testIds';
import { duration, MAX_RATE, parseRate } from './model';

export function RedriveConfirmBody({
  count,
  description,
  rateText,
  onRateText,
  starting,
}: {
  count: number;
  description: string;
  rateText: string;
  onRateText: (text: string) => void;
  starting: boolean;
}) {
  const parsed = parseRate(rateText);
  return (
    <Stack direction="column" gap={1}>
      <div>
        {count} event(s) matching {description} go back to the queue, oldest first, at no more than the rate below: the
        DLQ flag is cleared, attempts reset to 0, and an orchestrator re-dispatches each one. Retry only once the cause
        is fixed, or they land here again.
      </div>
      <Field
        label="Rate (events per second)"
        description={`1–${MAX_RATE}; a recovering downstream takes a slow start better than a burst.`}
        invalid={'error' in parsed}
        error={'error' in parsed ? parsed.error : undefined}
      >
        <Input
          type="number"
          min={1}
          max={MAX_RATE}
          width={12}
          value={rateText}
          data-testid={testIds.redrive.rate}
          onChange={(e) => onRateText(e.currentTarget.value)}
        />
      </Field>
      {'rate' in parsed && (
        <div>
          At {parsed.rate} events/s this takes {duration(count, parsed.rate)}; you can cancel it, and what moved stays
          moved.
        </div>
      )}
      {starting && (
        <Stack alignItems="center" gap={1}>
          <Spinner inline /> Starting the redrive…
        </Stack>
      )}
    </Stack>
  );
}
