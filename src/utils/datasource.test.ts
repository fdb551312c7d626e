import { resolveKiciDatasource } from './datasource';

const ds = (uid: string, type = 'kici-ops-datasource') => ({ uid, name: `name-${uid}`, type });

describe('resolveKiciDatasource', () => {
  it('uses the datasource configured on the app', () => {
    expect(resolveKiciDatasource({ kiciDatasourceUid: 'b' }, [ds('a'), ds('b')])).toEqual({
      ref: { uid: 'b', type: 'kici-ops-datasource' },
      name: 'name-b',
    });
  });

  it('falls back to the first KiCI datasource when none is configured', () => {
    expect(resolveKiciDatasource(undefined, [ds('loki', 'loki'), ds('a'), ds('b')])?.ref.uid).toBe('a');
  });

  it('says which configured uid is missing when it falls back', () => {
    expect(resolveKiciDatasource({ kiciDatasourceUid: 'gone' }, [ds('a')])).toEqual({
      ref: { uid: 'a', type: 'kici-ops-datasource' },
      name: 'name-a',
      fallbackFrom: 'gone',
    });
  });

  it('never picks a datasource of another type, even when configured by uid', () => {
    expect(resolveKiciDatasource({ kiciDatasourceUid: 'loki' }, [ds('loki', 'loki')])).toBeUndefined();
    expect(resolveKiciDatasource({}, [])).toBeUndefined();
  });
});
