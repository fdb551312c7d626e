// Stand-in for Grafana core's runRequest: Loading, then Done with the datasource's frames or Error.
import {
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceApi,
  LoadingState,
  type PanelData,
  toDataFrame,
} from '@grafana/data';
import { toDataQueryError } from '@grafana/runtime';
import { catchError, from, isObservable, map, type Observable, of, startWith } from 'rxjs';

export function runRequest(ds: DataSourceApi, request: DataQueryRequest): Observable<PanelData> {
  const base = { series: [], timeRange: request.range, request };
  const result = ds.query(request);
  const stream: Observable<DataQueryResponse> = isObservable(result) ? result : from(result);
  return stream.pipe(
    map((res): PanelData => {
      const errors = res.errors ?? (res.error ? [res.error] : undefined);
      return {
        ...base,
        state: errors?.length ? LoadingState.Error : (res.state ?? LoadingState.Done),
        series: (res.data ?? []).map((d) => toDataFrame(d)),
        ...(errors?.length ? { errors, error: errors[0] } : {}),
      };
    }),
    catchError((err) => {
      const error = toDataQueryError(err);
      return of<PanelData>({ ...base, state: LoadingState.Error, error, errors: [error] });
    }),
    startWith<PanelData>({ ...base, state: LoadingState.Loading })
  );
}
