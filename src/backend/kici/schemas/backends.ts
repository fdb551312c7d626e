// Secret backends admin API (contract §4.2; sample admin-backends.json).
import { z } from 'zod';

import { isoTime } from './common';

export const backendDescriptorSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  backendType: z.enum(['pg', 'vault']),
  scopeFilter: z.string(),
  syncIntervalMs: z.number().int().nonnegative(),
  enabled: z.boolean(),
  healthStatus: z.enum(['healthy', 'degraded', 'unreachable', 'unknown']),
  scopeCount: z.number().int().nonnegative(),
  lastSyncAt: isoTime.nullable(),
  lastSyncError: z.string().nullable(),
  lastHealthCheckAt: isoTime.nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type BackendDescriptor = z.infer<typeof backendDescriptorSchema>;

export const backendsListSchema = z.looseObject({ backends: z.array(backendDescriptorSchema) });

export const backendTestSchema = z.looseObject({
  ok: z.boolean(),
  error: z.string().optional(),
  latencyMs: z.number().nonnegative(),
});
export type BackendTest = z.infer<typeof backendTestSchema>;

/** `synced:true` is also returned when the sync failed: read `lastSyncError` afterwards. */
export const backendSyncSchema = z.looseObject({ synced: z.literal(true), scopeCount: z.number().int().nonnegative() });
export type BackendSync = z.infer<typeof backendSyncSchema>;
