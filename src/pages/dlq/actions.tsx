// Retry / Discard buttons: disabled with the reason, confirmed in a modal, result as a toast.
import { css } from '@emotion/css';
import { AppEvents } from '@grafana/data';
import { getAppEvents } from '@grafana/runtime';
import { Button, Tooltip } from '@grafana/ui';
import React, { useLayoutEffect, useRef, useState } from 'react';

import { focusableOf, useReturnFocus } from '../../components/focus';
import { TypedConfirmModal } from './TypedConfirmModal';
import type { DlqVerdict } from './api';

export type ToastKind = 'success' | 'warning' | 'error';

const TOAST_EVENTS: Record<ToastKind, string> = {
  success: AppEvents.alertSuccess.name,
  warning: AppEvents.alertWarning.name,
  error: AppEvents.alertError.name,
};

export function toast(kind: ToastKind, title: string, text?: string): void {
  getAppEvents().publish({ type: TOAST_EVENTS[kind], payload: text ? [title, text] : [title] });
}

/** A button that says why it is disabled. */
export function GuardedButton({
  verdict,
  children,
  tooltip,
  ...props
}: React.ComponentProps<typeof Button> & { verdict: DlqVerdict }) {
  const disabledButton = useRef<HTMLButtonElement>(null);
  const hadFocus = useRef(false);
  // The button turned disabled while it had focus (the list it acts on emptied after a bulk retry): Chromium drops
  // focus from a disabled or replaced button to <body>, so the stop that tells why takes it.
  useLayoutEffect(() => {
    const nowhere = document.activeElement === null || document.activeElement === document.body;
    if (!verdict.allowed && hadFocus.current && nowhere) {
      // Tooltip takes the wrapper's ref for itself: the wrapper is found from the button.
      (disabledButton.current && focusableOf(disabledButton.current))?.focus();
    }
    hadFocus.current = false;
  }, [verdict.allowed]);
  if (verdict.allowed) {
    return (
      <span
        className={contents}
        onFocus={() => (hadFocus.current = true)}
        onBlur={(e) => (hadFocus.current = e.relatedTarget === null)}
      >
        <Button tooltip={tooltip} {...props}>
          {children}
        </Button>
      </span>
    );
  }
  // Disabled, the reason is the tooltip.
  return (
    <Tooltip content={verdict.reason} placement="top">
      {/* A disabled button swallows pointer events: the wrapper carries the tooltip. */}
      <span data-disabled-reason={verdict.reason} tabIndex={0}>
        <Button {...props} ref={disabledButton} disabled>
          {children}
        </Button>
      </span>
    </Tooltip>
  );
}

// The enabled button's focus tracker leaves the layout as it was.
const contents = css({ display: 'contents' });

export interface ConfirmedActionProps {
  verdict: DlqVerdict;
  label: string;
  icon: 'repeat' | 'trash-alt';
  variant: 'primary' | 'secondary' | 'destructive';
  size?: 'sm' | 'md';
  testId: string;
  title: string;
  body: React.ReactNode;
  confirmText: string;
  /** Text the operator types to confirm (irreversible actions). */
  confirmationText?: string;
  /** Runs the action; resolves when it finished (toasts are the caller's). */
  onConfirm: () => Promise<void>;
}

/** One mutating action: button → confirmation → the action, the modal busy until it finished. */
export function ConfirmedAction(p: ConfirmedActionProps) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const remember = useReturnFocus(open || busy);
  const confirm = async () => {
    setBusy(true);
    try {
      await p.onConfirm();
    } finally {
      setBusy(false);
      setOpen(false);
    }
  };
  return (
    <>
      <GuardedButton
        verdict={p.verdict}
        icon={p.icon}
        variant={p.variant}
        size={p.size ?? 'md'}
        fill={p.size === 'sm' ? 'outline' : 'solid'}
        data-testid={p.testId}
        data-focus-key={p.testId}
        onClick={() => {
          remember(p.testId);
          setOpen(true);
        }}
      >
        {p.label}
      </GuardedButton>
      <TypedConfirmModal
        isOpen={open}
        title={p.title}
        body={p.body}
        confirmText={busy ? `${p.confirmText}…` : p.confirmText}
        confirmButtonVariant={p.variant === 'destructive' ? 'destructive' : 'primary'}
        confirmationText={p.confirmationText}
        disabled={busy}
        onConfirm={confirm}
        onDismiss={() => !busy && setOpen(false)}
      />
    </>
  );
}
