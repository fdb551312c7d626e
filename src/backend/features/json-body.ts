// Request bodies of the resource routes: JSON validated by a zod schema, every failure a 400 naming what is wrong.
import type { z } from 'zod';

import { PluginError } from '../protocol/types';

/** The body parsed as JSON (`empty` when there is none), or a 400 with `notJson`. */
export function jsonBody(body: Buffer, empty: unknown, notJson: string): unknown {
  const text = body.toString('utf8');
  if (text === '') {
    return empty;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new PluginError(notJson, 400);
  }
}

/** The first issue of a failed parse: its dotted path ('' at the root) and zod's message. */
export function firstIssue(error: z.ZodError): { at: string; message: string } {
  const issue = error.issues[0];
  return { at: issue.path.map(String).join('.'), message: issue.message };
}
