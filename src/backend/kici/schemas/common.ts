import { z } from 'zod';

/** An ISO-8601 timestamp as KiCI serialises dates (`toISOString()`). */
export const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO-8601 timestamp');

/** KiCI's error body on every 4xx/5xx of the admin API (`routes/admin-errors.ts`). */
export const apiErrorSchema = z.looseObject({ error: z.string() });

/** `a.b[2].c: message` for the first few issues of a failed parse. */
export function describeZodError(err: z.ZodError, max = 3): string {
  const parts = err.issues.slice(0, max).map((i) => {
    const path = i.path.reduce<string>(
      (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
      ''
    );
    return `${path || '(body)'}: ${i.message}`;
  });
  const more = err.issues.length > max ? ` (+${err.issues.length - max} more)` : '';
  return parts.join('; ') + more;
}
