import { checkModel, infrastructureUrl, loadError } from './load';
import { infrastructure } from './testing';

describe('infrastructure resource', () => {
  it('is the datasource resource path', () => {
    expect(infrastructureUrl({ uid: 'kici', type: 'kici-ops-datasource' })).toBe(
      '/api/datasources/uid/kici/resources/infrastructure'
    );
  });

  it('accepts a model and rejects anything else with a clear error', () => {
    const m = infrastructure();
    expect(checkModel(m)).toBe(m);
    expect(() => checkModel({ orchestrators: [] })).toThrow('without an infrastructure model');
    expect(() => checkModel('<html>')).toThrow('without an infrastructure model');
  });

  it("shows the backend's message, else the status", () => {
    const fetchError = (data: unknown, status = 502, statusText = 'Bad Gateway') => ({
      status,
      statusText,
      data,
      config: { url: '/x' },
    });
    expect(loadError(fetchError({ error: 'the infrastructure tree needs KiCI Platform — set platformUrl' }, 400))).toBe(
      'the infrastructure tree needs KiCI Platform — set platformUrl'
    );
    expect(loadError(fetchError({ message: 'Plugin unavailable' }))).toBe('Plugin unavailable');
    expect(loadError(fetchError(undefined, 504, 'Gateway Timeout'))).toBe('HTTP 504 Gateway Timeout');
    expect(loadError(new Error('boom'))).toBe('boom');
  });
});
