import { parseStartBody, remaining, signatureDescription, transition, type RedriveState } from './state';

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
