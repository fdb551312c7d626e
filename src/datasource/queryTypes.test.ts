import { QUERY_TYPES, type KiciQuery } from './query';
import { QUERY_TYPE_INFOS, queryTypeInfo, withQueryType } from './queryTypes';

describe('query type metadata', () => {
  it('describes every query type of the shared model, in its order, with a label and a description', () => {
    expect(QUERY_TYPE_INFOS.map((i) => i.value)).toEqual([...QUERY_TYPES]);
    for (const info of QUERY_TYPE_INFOS) {
      expect(info.label.length).toBeGreaterThan(3);
      expect(info.description.length).toBeGreaterThan(20);
    }
    expect(new Set(QUERY_TYPE_INFOS.map((i) => i.label)).size).toBe(QUERY_TYPES.length);
  });

  it('lists the DLQ filters for dlqEvents and none for health', () => {
    expect(queryTypeInfo('dlqEvents').options).toEqual([
      'routingKey',
      'eventName',
      'repo',
      'errorText',
      'useTimeRange',
      'sort',
      'limit',
    ]);
    expect(queryTypeInfo('health').options).toEqual([]);
  });
});

describe('withQueryType', () => {
  const dlq: KiciQuery & { datasource: { uid: string } } = {
    refId: 'A',
    hide: false,
    datasource: { uid: 'kici' },
    queryType: 'dlqEvents',
    routingKey: 'github:42',
    eventName: 'push',
    sort: 'attempts',
    sortDirection: 'asc',
    limit: 50,
    cursor: 'opaque',
  };

  it('drops options the new type does not use, keeps the rest of the query', () => {
    expect(withQueryType(dlq, 'dlqDepth')).toEqual({
      refId: 'A',
      hide: false,
      datasource: { uid: 'kici' },
      queryType: 'dlqDepth',
      routingKey: 'github:42',
      eventName: 'push',
    });
  });

  it('keeps the options the new type shares but always drops the paging cursor', () => {
    const next = withQueryType(dlq, 'dlqEvents');
    expect(next.cursor).toBeUndefined();
    expect(next).toMatchObject({ sort: 'attempts', sortDirection: 'asc', limit: 50, eventName: 'push' });
  });

  it('does not modify the query it was given', () => {
    withQueryType(dlq, 'health');
    expect(dlq.routingKey).toBe('github:42');
    expect(dlq.cursor).toBe('opaque');
  });
});
