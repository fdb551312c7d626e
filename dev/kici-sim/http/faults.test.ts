import { faultResponse, GARBAGE_BODY, parseFault } from './faults';
import { json } from './router';

describe('faults', () => {
  it('validates fault specs with a clear message', () => {
    expect(parseFault({ mode: 'slow', delayMs: 250 })).toEqual({ mode: 'slow', delayMs: 250 });
    expect(parseFault({ mode: 'down' })).toEqual({ mode: 'down' });
    expect(() => parseFault({ mode: 'melt' })).toThrow(/fault.mode must be one of none, down, slow/);
    expect(() => parseFault({ mode: 'slow', delayMs: -1 })).toThrow(/delayMs/);
    expect(() => parseFault(null)).toThrow(/fault must be an object/);
  });

  it('rewrites answers for garbage and error500, leaves others alone', () => {
    const normal = json(200, { status: 'ok' });
    const garbage = faultResponse({ mode: 'garbage' }, normal);
    expect(garbage).toMatchObject({ status: 200, contentType: 'application/json', body: GARBAGE_BODY });
    expect(() => JSON.parse(GARBAGE_BODY)).toThrow();
    expect(faultResponse({ mode: 'error500' }, normal)).toMatchObject({
      status: 500,
      body: '{"error":"Internal server error"}',
    });
    expect(faultResponse({ mode: 'oversized' }, normal)).toBe('oversized');
    expect(faultResponse({ mode: 'slow' }, normal)).toBe(normal);
  });
});
