import { isTerminal, parseStartBody, remaining, signatureDescription, transition, type RedriveState } from './state';

const body = (x: unknown) => Buffer.from(JSON.stringify(x));

describe('transition', () => {
  it('moves a running redrive to the state its ending names', () => {
    expect(transition('running', { kind: 'all-tried' })).toBe('completed');
    expect(transition('running', { kind: 'cancel-seen' })).toBe('cancelled');
    expect(transition('running', { kind: 'stop', reason: 'token refused' })).toBe('stopped');
    expect(transition('running', { kind: 'lease-expired' })).toBe('interrupted');
    expect(transition('running', { kind: 'owner-disposed' })).toBe('interrupted');
  });

  it('never changes a finished redrive (a late cancel or a reaper cannot rewrite its report)', () => {
    for (const s of ['completed', 'cancelled', 'stopped', 'interrupted'] as RedriveState[]) {
      expect(transition(s, { kind: 'cancel-seen' })).toBeNull();
      expect(transition(s, { kind: 'lease-expired' })).toBeNull();
      expect(transition(s, { kind: 'all-tried' })).toBeNull();
    }
  });
});

describe('parseStartBody', () => {
  it('defaults the rate to 10/s and keeps the filter', () => {
    expect(parseStartBody(body({ filter: { eventName: 'push', from: 0 } }))).toEqual({
      filter: { eventName: 'push', from: '1970-01-01T00:00:00.000Z' },
      rate: 10,
      description: 'eventName = push, from = 1970-01-01T00:00:00.000Z',
    });
    expect(parseStartBody(body({ rate: 500, description: 'the whole DLQ' }))).toEqual({
      filter: {},
      rate: 500,
      description: 'the whole DLQ',
    });
  });

  it('refuses a rate outside 1..500 or not whole with a 400 naming the field', () => {
    const cases: Array<[unknown, string]> = [
      [501, 'invalid redrive: rate must be at most 500 events per second (the SQS redrive limit)'],
      [0, 'invalid redrive: rate must be at least 1 event per second'],
      [2.5, 'invalid redrive: rate must be a whole number of events per second'],
      ['fast', 'invalid redrive: rate must be a number of events per second'],
    ];
    for (const [rate, message] of cases) {
      expect(() => parseStartBody(body({ rate }))).toThrow(expect.objectContaining({ status: 400, message }));
    }
  });

  it('takes a signature id with the DLQ filters it applies within', () => {
    expect(parseStartBody(body({ signatureId: '0a1b2c3d', filter: { routingKey: 'github:42' }, rate: 20 }))).toEqual({
      filter: { routingKey: 'github:42' },
      signatureId: '0a1b2c3d',
      rate: 20,
      description: 'routingKey = github:42',
    });
  });

  it('refuses a signatureId that is not 8 lowercase hex digits with a 400 naming it', () => {
    for (const signatureId of ['0A1B2C3D', '0a1b2c3', '0a1b2c3d4', 'zzzzzzzz', '', 12345678]) {
      expect(() => parseStartBody(body({ signatureId }))).toThrow(
        expect.objectContaining({
          status: 400,
          message:
            typeof signatureId === 'number'
              ? 'invalid redrive: signatureId Invalid input: expected string, received number'
              : 'invalid redrive: signatureId must be a signature id: 8 hex digits (the signatureId field of the signatures)',
        })
      );
    }
  });

  it('refuses unknown fields and non-JSON', () => {
    expect(() => parseStartBody(body({ rate: 5, ids: [] }))).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => parseStartBody(Buffer.from('{'))).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringContaining('not JSON') })
    );
    expect(() => parseStartBody(body({ filter: { repo: 5 } }))).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/^invalid redrive: filter\.repo /) })
    );
  });
});

it('describes a signature redrive by its signature, shortened, then its filters', () => {
  expect(signatureDescription('HttpError: <n> Bad Gateway', {})).toBe('signature “HttpError: <n> Bad Gateway”');
  expect(signatureDescription('E', { routingKey: 'github:42', eventName: 'push' })).toBe(
    'signature “E” among routingKey = github:42, eventName = push'
  );
  expect(signatureDescription('x'.repeat(200), {})).toBe(`signature “${'x'.repeat(160)}…”`);
});

it('remaining is what was neither retried nor failed', () => {
  expect(remaining({ total: 10, retried: 3, failed: 2 })).toBe(5);
});

// Mutation testing (issue 20): the limits of a redrive request, each refused with the message the DLQ page shows, and
// what the progress panel calls a redrive.
describe('a redrive request at its limits', () => {
  const refused = (x: unknown) => {
    try {
      parseStartBody(typeof x === 'string' ? Buffer.from(x) : body(x));
    } catch (err) {
      return [(err as { status?: number }).status, (err as Error).message];
    }
    return 'accepted';
  };

  it('an empty body redrives the whole DLQ at 10 events per second', () => {
    expect(parseStartBody(Buffer.alloc(0))).toEqual({ filter: {}, rate: 10, description: 'the whole DLQ' });
  });

  it.each([
    ['eventName', 'e'.repeat(255), 'e'.repeat(256), 'Too big: expected string to have <=255 characters'],
    ['routingKey', 'k'.repeat(255), 'k'.repeat(256), 'Too big: expected string to have <=255 characters'],
    ['routingKey', 'k', '', 'Too small: expected string to have >=1 characters'],
    ['repo', 'r'.repeat(500), 'r'.repeat(501), 'Too big: expected string to have <=500 characters'],
    ['errorText', 't'.repeat(1000), 't'.repeat(1001), 'Too big: expected string to have <=1000 characters'],
  ])('filter.%s: the longest accepted, one more refused', (field, longest, tooLong, message) => {
    expect(parseStartBody(body({ filter: { [field]: longest } })).filter).toEqual({ [field]: longest });
    expect(refused({ filter: { [field]: tooLong } })).toEqual([400, `invalid redrive: filter.${field} ${message}`]);
  });

  it('a description of 500 characters is kept, 501 refused', () => {
    expect(parseStartBody(body({ description: 'd'.repeat(500) })).description).toBe('d'.repeat(500));
    expect(refused({ description: 'd'.repeat(501) })).toEqual([
      400,
      'invalid redrive: description Too big: expected string to have <=500 characters',
    ]);
  });

  it('times: ISO with an offset or epoch ms, kept as UTC ISO; others refused', () => {
    expect(parseStartBody(body({ filter: { from: '2026-12-05T10:00:00+02:00', to: 1795500000000 } })).filter).toEqual({
      from: '2026-12-05T08:00:00.000Z',
      to: new Date(1795500000000).toISOString(),
    });
    expect(refused({ filter: { from: -1 } })[1]).toMatch(/^invalid redrive: filter\.from /);
    expect(refused({ filter: { to: 1.5 } })[1]).toMatch(/^invalid redrive: filter\.to /);
    expect(refused({ filter: { to: 'yesterday' } })[1]).toMatch(/^invalid redrive: filter\.to /);
    // Whole, not negative, yet beyond what a date holds.
    expect(refused({ filter: { from: 9e15 } })).toEqual([400, 'invalid redrive: filter.from is not a time']);
    expect(refused({ filter: { to: 8.64e15 + 1 } })).toEqual([400, 'invalid redrive: filter.to is not a time']);
  });

  it('a body that is not an object is refused at its root, naming no field', () => {
    expect(refused('[]')).toEqual([400, 'invalid redrive: Invalid input: expected object, received array']);
    expect(refused('{')).toEqual([400, 'invalid redrive: the body is not JSON: send {"filter": {...}, "rate": 10}']);
    expect(refused({ rate: 5, ids: [] })).toEqual([400, 'invalid redrive: Unrecognized key: "ids"']);
  });

  it('the description names every filter, in the order of the filter fields', () => {
    expect(
      parseStartBody(
        body({ filter: { repo: 'acme/api', errorText: 'timeout', eventName: 'push', routingKey: 'github:42' } })
      ).description
    ).toBe('eventName = push, routingKey = github:42, repo = acme/api, errorText = timeout');
  });

  it('a signature of 160 characters is shown whole, one more is cut', () => {
    expect(signatureDescription('s'.repeat(160), {})).toBe(`signature “${'s'.repeat(160)}”`);
    expect(signatureDescription('s'.repeat(161), { repo: 'a/b' })).toBe(
      `signature “${'s'.repeat(160)}…” among repo = a/b`
    );
  });
});

it('a redrive is finished in every state but running', () => {
  expect(
    ['running', 'completed', 'cancelled', 'stopped', 'interrupted'].map((s) => isTerminal(s as RedriveState))
  ).toEqual([false, true, true, true, true]);
  expect(transition('running', { kind: 'stop', reason: 'x' })).toBe('stopped');
});

it('remaining never goes below zero (events moved by someone else count as tried)', () => {
  expect(remaining({ total: 5, retried: 4, failed: 3 })).toBe(0);
  expect(remaining({ total: 5, retried: 0, failed: 0 })).toBe(5);
  expect(remaining({ total: 5, retried: 2, failed: 3 })).toBe(0);
});
