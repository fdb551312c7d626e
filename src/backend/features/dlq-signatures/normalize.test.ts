import { errorSignature, NO_ERROR_SIGNATURE, signatureId } from './normalize';

describe('errorSignature', () => {
  // Real last_error texts of a KiCI 0.9.1 orchestrator (dev/kici-sim/samples/0.9.1/dlq/*.json) and kici-sim's scenarios.
  it.each([
    [
      'test fault injection: refusing to mark event 8840fb19-7fa0-4642-a016-992fb2167e12 processed',
      'test fault injection: refusing to mark event <uuid> processed',
    ],
    [
      'test trigger: refusing processed=true for event 0ab5c810-d6c7-49a8-a4c2-4a7fc9274957',
      'test trigger: refusing processed=true for event <uuid>',
    ],
    ['synthetic #2', 'synthetic #<n>'],
    ['synthetic: inserted directly by SQL', 'synthetic: inserted directly by SQL'],
    ['connect ECONNREFUSED 127.0.0.1:4400', 'connect ECONNREFUSED <host>'],
    ['Error: connect ECONNREFUSED 10.0.4.12:443', 'Error: connect ECONNREFUSED <host>'],
    ['Error: dispatch timed out after 30000ms', 'Error: dispatch timed out after <n>ms'],
    [
      "TypeError: Cannot read properties of undefined (reading 'ref')",
      "TypeError: Cannot read properties of undefined (reading '<v>')",
    ],
    [
      'HttpError: 422 Unprocessable Entity: workflow_dispatch ref not found',
      'HttpError: <n> Unprocessable Entity: workflow_dispatch ref not found',
    ],
    ['lease expired (dispatch node died or hung)', 'lease expired (dispatch node died or hung)'],
    ['Error: lock file fetch failed', 'Error: lock file fetch failed'],
  ])('%s', (text, signature) => {
    expect(errorSignature(text)).toBe(signature);
  });

  it('groups texts that differ only in their variable parts', () => {
    const a = errorSignature(
      'POST https://api.github.com/repos/acme/api/dispatches failed at 2026-12-05T10:00:01.123Z: 502 from lb-7.internal:8443 (request 9f2c1ab34d)'
    );
    const b = errorSignature(
      'POST https://api.github.com/repos/acme/web/dispatches failed at 2026-12-04T23:59:59Z: 503 from lb-2.internal:8443 (request 00ffee11aa)'
    );
    expect(a).toBe(b);
    expect(a).toBe('POST https://<url> failed at <time>: <n> from <host> (request <hex>)');
  });

  it('normalises quoted values, hex, IPv6, host:port and long ids, keeps words with digits', () => {
    expect(errorSignature('key "acme/api#12" not found in 0xDEADBEEF')).toBe('key "<v>" not found in <hex>');
    expect(errorSignature('dial tcp [2001:db8::1]:5432: i/o timeout')).toBe('dial tcp <host>: i/o timeout');
    expect(errorSignature('getaddrinfo ENOTFOUND orch-b:4000')).toBe('getaddrinfo ENOTFOUND <host>');
    expect(errorSignature('pod orchestrator-7d9f8b6c4-x2x9z evicted; utf8 v2 ok')).toBe('pod <id> evicted; utf8 v2 ok');
    expect(errorSignature('at 10:04:59.120 retry 3 of 5')).toBe('at <time> retry <n> of <n>');
    // Dotted names without a port are words (event names, files), not hosts.
    expect(errorSignature('no route for run.completed')).not.toBe(errorSignature('no route for job.completed'));
  });

  it('gives blank errors one signature and caps the length', () => {
    expect(errorSignature(null)).toBe(NO_ERROR_SIGNATURE);
    expect(errorSignature('  \n ')).toBe(NO_ERROR_SIGNATURE);
    expect(errorSignature('x'.repeat(5000))).toHaveLength(300);
  });

  it('ids a signature stably and distinctly', () => {
    expect(signatureId('Error: lock file fetch failed')).toMatch(/^[0-9a-f]{8}$/);
    expect(signatureId('a')).toBe(signatureId('a'));
    expect(signatureId('a')).not.toBe(signatureId('b'));
  });
});
