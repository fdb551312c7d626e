import { bulkRetryConfirmation, confirmVariant, LARGE_BULK, pageRange, rowConfirmation } from './confirm';

describe('DLQ confirmations (issue 17 items 12, 14)', () => {
  it('an unfiltered or large bulk retry asks for the count; a small filtered one is one press', () => {
    expect(bulkRetryConfirmation(3, false)).toBe('3');
    expect(bulkRetryConfirmation(3, true)).toBeUndefined();
    expect(bulkRetryConfirmation(LARGE_BULK, true)).toBe('50');
  });

  it('discard asks for the short id the list shows; retry does not', () => {
    expect(rowConfirmation('discard', '16c3fcf6-a5b6-42a6-8917-700fc6bcdd84')).toBe('16c3fcf6');
    expect(rowConfirmation('retry', '16c3fcf6-a5b6-42a6-8917-700fc6bcdd84')).toBeUndefined();
  });

  it('only discard is red', () => {
    expect([confirmVariant('retry'), confirmVariant('bulk-retry'), confirmVariant('discard')]).toEqual([
      'primary',
      'primary',
      'destructive',
    ]);
  });
});

describe('pageRange (issue 17 item 11)', () => {
  it('says which rows of how many', () => {
    expect(pageRange(1, 50, 50, 160)).toBe('1–50 of 160');
    expect(pageRange(4, 50, 10, 160)).toBe('151–160 of 160');
    expect(pageRange(2, 50, 50, null)).toBe('51–100');
    expect(pageRange(1, 50, 0, 0)).toBe('0 of 0');
  });
});
