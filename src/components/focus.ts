// Focus goes back to the control that opened a dialog once the dialog and its action are over (confirm, Cancel or
// Escape): the control is found again by a stable key, since a list refresh or a disabled state may re-create it.
import { useCallback, useEffect, useRef } from 'react';

export const FOCUS_KEY = 'data-focus-key';

/** The element itself, or, when it is disabled, the nearest ancestor that can take focus (the reason's wrapper). */
export function focusableOf(el: HTMLElement): HTMLElement | null {
  let cur: HTMLElement | null = el;
  while (cur) {
    const disabled = (cur as HTMLButtonElement).disabled === true;
    if (!disabled && (cur.tabIndex >= 0 || cur.hasAttribute('tabindex'))) {
      return cur;
    }
    cur = cur.parentElement;
  }
  return null;
}

/** Focuses the control with `key` (or its focusable wrapper), else `fallback`; returns what got focus. */
export function returnFocus(doc: Document, key: string, fallback?: string): HTMLElement | null {
  const el = Array.from(doc.querySelectorAll<HTMLElement>(`[${FOCUS_KEY}]`)).find(
    (e) => e.getAttribute(FOCUS_KEY) === key
  );
  const target = (el && focusableOf(el)) ?? (fallback ? doc.querySelector<HTMLElement>(fallback) : null);
  target?.focus();
  return target ?? null;
}

/**
 * `remember(key, fallback)` when a dialog opens; focus returns there on the first render where `busy` (dialog open or
 * its action running) is false again.
 */
export function useReturnFocus(busy: boolean): (key: string, fallback?: string) => void {
  const pending = useRef<{ key: string; fallback?: string } | null>(null);
  const busyNow = useRef(busy);
  useEffect(() => {
    busyNow.current = busy;
  });
  useEffect(() => {
    const target = pending.current;
    if (busy || !target) {
      return;
    }
    // After the dialog's own focus handling (it unmounts in this commit); a re-render first reschedules it.
    const timer = setTimeout(() => {
      if (!busyNow.current && pending.current === target) {
        pending.current = null;
        returnFocus(document, target.key, target.fallback);
      }
    }, 0);
    return () => clearTimeout(timer);
  });
  return useCallback((key, fallback) => {
    pending.current = { key, fallback };
  }, []);
}
