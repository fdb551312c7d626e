import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React, { useState } from 'react';

import { FOCUS_KEY, focusableOf, returnFocus, useReturnFocus } from './focus';

describe('returnFocus (issue 17 item 13)', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('focuses the control with the key', () => {
    document.body.innerHTML = `<button ${FOCUS_KEY}="retry:1">Retry</button><button ${FOCUS_KEY}="retry:2">Retry</button>`;
    expect(returnFocus(document, 'retry:2')).toBe(document.activeElement);
    expect(document.activeElement?.getAttribute(FOCUS_KEY)).toBe('retry:2');
  });

  it('a disabled control gives focus to its wrapper that carries the reason', () => {
    document.body.innerHTML = `<span id="wrap" tabindex="0"><button ${FOCUS_KEY}="sync:vault" disabled>Sync</button></span>`;
    const button = document.querySelector('button')!;
    expect(focusableOf(button)?.id).toBe('wrap');
    returnFocus(document, 'sync:vault');
    expect(document.activeElement?.id).toBe('wrap');
  });

  it('falls back when the control is gone (the row left the DLQ)', () => {
    document.body.innerHTML = `<div id="dlq-events" tabindex="0"></div>`;
    returnFocus(document, 'discard:1', '#dlq-events');
    expect(document.activeElement?.id).toBe('dlq-events');
  });
});

function Harness() {
  const [open, setOpen] = useState(false);
  const remember = useReturnFocus(open);
  return (
    <>
      <button
        {...{ [FOCUS_KEY]: 'opener' }}
        onClick={() => {
          remember('opener');
          setOpen(true);
        }}
      >
        Open
      </button>
      {open && (
        <div role="dialog">
          <button autoFocus onClick={() => setOpen(false)}>
            Cancel
          </button>
        </div>
      )}
    </>
  );
}

describe('useReturnFocus', () => {
  it('returns focus to the opener once the dialog closed', async () => {
    jest.useFakeTimers();
    try {
      const user = userEvent.setup({ advanceTimers: jest.advanceTimersByTime });
      render(<Harness />);
      await user.click(screen.getByRole('button', { name: 'Open' }));
      expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
      await user.click(screen.getByRole('button', { name: 'Cancel' }));
      act(() => {
        jest.runOnlyPendingTimers();
      });
      expect(screen.getByRole('button', { name: 'Open' })).toHaveFocus();
    } finally {
      jest.useRealTimers();
    }
  });
});
