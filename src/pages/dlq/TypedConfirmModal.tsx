// @grafana/ui's ConfirmModal with the typed confirmation in the plugin's own field, which takes focus when the dialog
// opens. ConfirmModal's own `confirmationText` field leaves focus on <body> on every version the plugin declares:
// ConfirmContent (@grafana/ui 11.6.0 and 12.4.2, components/ConfirmModal/ConfirmContent.tsx) focuses its confirm
// button on mount and only then disables it until the text is typed, and Chromium drops focus from a button that
// becomes disabled. In 11.6.0 the Modal (components/Modal/Modal.tsx, react-aria useOverlay) closes on Escape only from
// a key press inside the dialog, so the keyboard could not even leave it; 12.4.2's Modal listens on the document.
import { ConfirmModal, Field, Input } from '@grafana/ui';
import React, { useId, useState } from 'react';

import { testIds } from '../../components/testIds';

type ConfirmModalProps = React.ComponentProps<typeof ConfirmModal>;

export type TypedConfirmModalProps = Omit<ConfirmModalProps, 'confirmationText'> & {
  /** Text the operator types to confirm (case-insensitive, as ConfirmModal compares it); none: one press. */
  confirmationText?: string;
};

/** Whether what was typed confirms `expected`. */
export function typedConfirms(expected: string | undefined, typed: string): boolean {
  return expected === undefined || typed.trim().toLowerCase() === expected.toLowerCase();
}

export function TypedConfirmModal({ confirmationText, body, disabled, isOpen, ...props }: TypedConfirmModalProps) {
  const [typed, setTyped] = useState('');
  const inputId = useId();
  // Each opening starts empty (state adjusted while rendering, as React's docs do for a changed prop).
  const [openedBefore, setOpenedBefore] = useState(isOpen);
  if (openedBefore !== isOpen) {
    setOpenedBefore(isOpen);
    setTyped('');
  }
  const confirms = typedConfirms(confirmationText, typed);
  return (
    <ConfirmModal
      {...props}
      isOpen={isOpen}
      disabled={Boolean(disabled) || !confirms}
      body={
        <>
          {body}
          {confirmationText !== undefined && (
            <Field label={`Type "${confirmationText}" to confirm`} disabled={disabled}>
              <Input
                id={inputId}
                autoFocus
                value={typed}
                onChange={(e) => setTyped(e.currentTarget.value)}
                data-testid={testIds.dlq.typedConfirmation}
              />
            </Field>
          )}
        </>
      }
    />
  );
}
