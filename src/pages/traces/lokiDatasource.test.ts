import { resolveLokiDatasource } from './lokiDatasource';

const all = [
  { uid: 'loki', name: 'Loki', type: 'loki' },
  { uid: 'loki-audit', name: 'Loki audit', type: 'loki' },
  { uid: 'prometheus', name: 'Prometheus', type: 'prometheus' },
];

describe('resolveLokiDatasource', () => {
  it('uses the datasource chosen on the app configuration page', () => {
    expect(resolveLokiDatasource({ lokiDatasourceUid: 'loki-audit' }, all)).toEqual({
      status: 'ok',
      uid: 'loki-audit',
      name: 'Loki audit',
    });
  });

  it('never guesses when none is chosen, but names the candidates', () => {
    expect(resolveLokiDatasource({}, all)).toEqual({ status: 'not-configured', available: ['Loki', 'Loki audit'] });
    expect(resolveLokiDatasource(undefined, [])).toEqual({ status: 'not-configured', available: [] });
    expect(resolveLokiDatasource({ lokiDatasourceUid: '  ' }, all).status).toBe('not-configured');
  });

  it('says when the chosen uid is gone or not a Loki datasource', () => {
    expect(resolveLokiDatasource({ lokiDatasourceUid: 'old' }, all)).toEqual({
      status: 'missing',
      uid: 'old',
      available: ['Loki', 'Loki audit'],
    });
    expect(resolveLokiDatasource({ lokiDatasourceUid: 'prometheus' }, all)).toEqual({
      status: 'wrong-type',
      uid: 'prometheus',
      name: 'Prometheus',
      type: 'prometheus',
    });
  });
});
