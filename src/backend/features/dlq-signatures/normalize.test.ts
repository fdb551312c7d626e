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

// Mutation testing (issue 20): the signature a user sees for each kind of variable part, the edges of each rule
// (what is replaced and what stays), and the cuts.
describe('errorSignature: each rule and its edges (issue 20)', () => {
  it.each([
    // quoted values, with escaped quotes inside
    ["value 'a\\'b' refused", "value '<v>' refused"],
    ['key "a\\"b" missing', 'key "<v>" missing'],
    ['column `user_id` missing', 'column `<v>` missing'],
    // URLs keep their scheme, stop at a closing bracket, comma, quote or angle bracket
    ['connect postgres://kici:pw@db:5432/kici failed', 'connect postgres://<url> failed'],
    ['(see https://docs.example.com/a?b=1), then retry', '(see https://<url>), then retry'],
    ['git+ssh://git@host/repo,https://x.y', 'git+ssh://<url>,https://<url>'],
    ['fetch <https://a.b/c> failed', 'fetch <https://<url>> failed'],
    // timestamps: a date, with a time, seconds, fraction and zone; bare clock times
    ['on 2026-12-05 at noon', 'on <time> at noon'],
    ['at 2026-12-05 10:00 UTC', 'at <time> UTC'],
    ['at 2026-12-05T10:00:01,5+02:00 and 2026-12-05T10:00:01.5-0130', 'at <time> and <time>'],
    ['at 2026-12-05T10:00Z.', 'at <time>.'],
    ['took until 23:59:59 then 01:02:03.456', 'took until <time> then <time>'],
    // UUIDs in any case
    ['event 8840FB19-7FA0-4642-A016-992FB2167E12 gone', 'event <uuid> gone'],
    // hosts
    ['dial [::1] refused', 'dial <host> refused'],
    ['dial [fe80::1%eth0]:80', 'dial [fe80::<n>%eth0]:<n>'],
    ['dial 10.0.0.1 refused', 'dial <host> refused'],
    ['dial 10.0.0.1:65535 refused', 'dial <host> refused'],
    ['db.internal:5432 and redis:6379 down', '<host> and <host> down'],
    ['Db-1.Example.COM:443 down', '<host> down'],
    ['retry:5 of 9', 'retry:<n> of <n>'],
    ['a.b:123456 is not a port', 'a.b:<n> is not a port'],
    // hex
    ['bad address 0x1F and 0xdeadbeef', 'bad address <hex> and <hex>'],
    ['sha abcdef12 and ABCDEF1234 and 1234abcd', 'sha <hex> and <hex> and <hex>'],
    ['word abcdefab stays, so does deadbeef', 'word abcdefab stays, so does deadbeef'],
    ['12345678 is a number', '<n> is a number'],
    // long ids: 16+ characters with a digit and a letter beyond hex, an underscore or a dash
    ['job job_abcdefghij12 failed', 'job <id> failed'],
    ['pod web-7d9f8b6c4-x2x9z', 'pod <id>'],
    ['token ABCDEFGHIJKLMNO1', 'token <id>'],
    ['word abcdefghijklmnop stays', 'word abcdefghijklmnop stays'],
    ['sum deadbeefdeadbeef12 differs', 'sum <hex> differs'],
    ['short job_abc12 stays', 'short job_abc12 stays'],
    // numbers: negative, decimal; not glued to a word or a dot before them
    ['offset -5 and ratio 3.14', 'offset <n> and ratio <n>'],
    ['utf8 v2 x.5 stay', 'utf8 v2 x.5 stay'],
    ['#7: 30000ms', '#<n>: <n>ms'],
  ])('%j → %j', (text, signature) => {
    expect(errorSignature(text)).toBe(signature);
  });

  it('collapses runs of white space, line breaks included', () => {
    expect(errorSignature('  Error:\n\tlock \r\n file   failed  ')).toBe('Error: lock file failed');
  });

  it('normalises only the first 2000 characters', () => {
    expect(errorSignature(`${' '.repeat(1995)}hello world`)).toBe('hello');
  });

  it('keeps 300 characters whole and cuts a longer signature to 299 and "…"', () => {
    expect(errorSignature('y'.repeat(300))).toBe('y'.repeat(300));
    expect(errorSignature('y'.repeat(301))).toBe(`${'y'.repeat(299)}…`);
    expect(errorSignature(undefined)).toBe('(no error recorded)');
    expect(errorSignature('')).toBe('(no error recorded)');
  });

  it('ids are FNV-1a 32-bit in 8 hex digits, zero-padded', () => {
    expect(signatureId('')).toBe('811c9dc5');
    expect(signatureId('a')).toBe('e40c292c');
    expect(signatureId('Error: lock file fetch failed')).toBe('e4a484df');
    expect(signatureId('e504')).toBe('0dbdf79b');
  });
});
