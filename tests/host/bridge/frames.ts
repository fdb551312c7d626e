// Decoded Arrow frames (what the executable returns over gRPC) -> Grafana's JSON data-frame form, the body
// `/api/ds/query` gives the browser (`dataFrameToJSON` in @grafana/data; Go's data.FrameToJSON on the server).
import type { DecodedField, DecodedFrame } from '../../../dev/testing/plugin-process';

export interface FieldSchemaJSON {
  name: string;
  type: 'time' | 'number' | 'string' | 'boolean' | 'other';
  typeInfo: { frame: string; nullable?: boolean };
  labels?: Record<string, string>;
  config?: Record<string, unknown>;
}

export interface DataFrameJSON {
  schema: { name?: string; refId?: string; meta?: Record<string, unknown>; fields: FieldSchemaJSON[] };
  data: { values: unknown[][]; entities?: Array<{ NaN?: number[]; Inf?: number[]; NegInf?: number[] } | null> };
}

const FRAME_TYPES: Record<DecodedField['type'], [FieldSchemaJSON['type'], string]> = {
  time: ['time', 'time.Time'],
  number: ['number', 'float64'],
  int64: ['number', 'int64'],
  string: ['string', 'string'],
  boolean: ['boolean', 'bool'],
  json: ['other', 'json.RawMessage'],
  other: ['other', 'unknown'],
};

type Entities = { NaN?: number[]; Inf?: number[]; NegInf?: number[] };

/** JSON has no NaN/Infinity: Grafana sends null and lists the indexes in `entities`. */
function encodeValues(values: unknown[]): { values: unknown[]; entities: Entities | null } {
  const entities: Entities = {};
  const out = values.map((v, i) => {
    if (typeof v === 'bigint') {
      return Number(v);
    }
    if (typeof v === 'number' && !Number.isFinite(v)) {
      const key = Number.isNaN(v) ? 'NaN' : v > 0 ? 'Inf' : 'NegInf';
      (entities[key] ??= []).push(i);
      return null;
    }
    return v;
  });
  return { values: out, entities: Object.keys(entities).length ? entities : null };
}

export function toDataFrameJSON(frame: DecodedFrame): DataFrameJSON {
  const encoded = frame.fields.map((f) => encodeValues(f.values));
  const anyEntities = encoded.some((e) => e.entities);
  return {
    schema: {
      ...(frame.name ? { name: frame.name } : {}),
      ...(frame.refId ? { refId: frame.refId } : {}),
      ...(frame.meta ? { meta: frame.meta } : {}),
      fields: frame.fields.map((f) => {
        const [type, goType] = FRAME_TYPES[f.type];
        return {
          name: f.name,
          type,
          typeInfo: { frame: goType, ...(f.nullable ? { nullable: true } : {}) },
          ...(f.labels ? { labels: f.labels } : {}),
          ...(f.config ? { config: f.config } : {}),
        };
      }),
    },
    data: {
      values: encoded.map((e) => e.values),
      ...(anyEntities ? { entities: encoded.map((e) => e.entities) } : {}),
    },
  };
}
