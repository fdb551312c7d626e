// Prometheus text exposition (0.0.4): a writer that formats like the OTel PrometheusSerializer KiCI
// uses, and a small strict parser (used by tests and check-samples).

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
export type Labels = Record<string, string>;

export interface Sample {
  name: string;
  labels: Labels;
  value: number;
}

export interface Family {
  name: string;
  type: MetricType;
  help?: string;
  samples: Sample[];
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export function formatLabels(labels: Labels): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
    .join(',')}}`;
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) {
    return 'NaN';
  }
  if (value === Infinity) {
    return '+Inf';
  }
  if (value === -Infinity) {
    return '-Inf';
  }
  return String(value);
}

/** Collects families in emission order; `help` undefined = no `# HELP` line (KiCI's agent aggregator). */
export class ExpositionWriter {
  private readonly lines: string[] = [];

  family(
    name: string,
    type: MetricType,
    help: string | undefined,
    samples: Array<{ labels: Labels; value: number; suffix?: string }>
  ): this {
    if (help !== undefined) {
      this.lines.push(`# HELP ${name} ${help}`);
    }
    this.lines.push(`# TYPE ${name} ${type}`);
    for (const s of samples) {
      this.lines.push(`${name}${s.suffix ?? ''}${formatLabels(s.labels)} ${formatValue(s.value)}`);
    }
    return this;
  }

  /** An OTel histogram: `_count`, `_sum`, then cumulative `_bucket{le}` per label set. */
  histogram(
    name: string,
    help: string | undefined,
    bounds: number[],
    series: Array<{ labels: Labels; observations: number[] }>
  ): this {
    const samples: Array<{ labels: Labels; value: number; suffix: string }> = [];
    for (const { labels, observations } of series) {
      samples.push({ labels, value: observations.length, suffix: '_count' });
      samples.push({ labels, value: observations.reduce((a, b) => a + b, 0), suffix: '_sum' });
      for (const le of [...bounds, Infinity]) {
        samples.push({
          labels: { ...labels, le: le === Infinity ? '+Inf' : String(le) },
          value: observations.filter((o) => o <= le).length,
          suffix: '_bucket',
        });
      }
    }
    return this.family(name, 'histogram', help, samples);
  }

  blank(): this {
    this.lines.push('');
    return this;
  }

  toString(): string {
    return this.lines.join('\n') + '\n';
  }
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$/;
const LABEL_PAIR = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;

export function parseLabels(body: string): Labels {
  const labels: Labels = {};
  LABEL_PAIR.lastIndex = 0;
  let pos = 0;
  while (pos < body.length) {
    LABEL_PAIR.lastIndex = pos;
    const m = LABEL_PAIR.exec(body);
    if (!m) {
      throw new Error(`bad label set {${body}} at ${pos}`);
    }
    labels[m[1]] = m[2].replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    pos = LABEL_PAIR.lastIndex;
  }
  return labels;
}

function parseValue(raw: string): number {
  if (raw === '+Inf') {
    return Infinity;
  }
  if (raw === '-Inf') {
    return -Infinity;
  }
  if (raw === 'NaN') {
    return NaN;
  }
  const n = Number(raw);
  if (raw.trim() === '' || Number.isNaN(n)) {
    throw new Error(`bad sample value ${raw}`);
  }
  return n;
}

/** The family a sample belongs to: histogram/summary samples carry `_bucket`/`_sum`/`_count`. */
function familyOf(sampleName: string, types: Map<string, MetricType>): string {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (sampleName.endsWith(suffix)) {
      const base = sampleName.slice(0, -suffix.length);
      const t = types.get(base);
      if (t === 'histogram' || t === 'summary') {
        return base;
      }
    }
  }
  return sampleName;
}

/**
 * Parses the text format strictly (throws on a malformed line). Families with the same name declared
 * twice (KiCI re-exports agent `nodejs_*` families after its own) are merged; the first type wins.
 */
export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const types = new Map<string, MetricType>();
  const get = (name: string): Family => {
    let f = families.get(name);
    if (!f) {
      f = { name, type: types.get(name) ?? 'untyped', samples: [] };
      families.set(name, f);
    }
    return f;
  };
  text.split('\n').forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '') {
      return;
    }
    if (line.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(.*)$/.exec(line);
      if (!m) {
        return; // a plain comment
      }
      const [, kind, name, rest] = m;
      if (kind === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) {
          throw new Error(`line ${index + 1}: unknown metric type ${rest}`);
        }
        if (!types.has(name)) {
          types.set(name, rest as MetricType);
        }
        const f = get(name);
        if (f.samples.length === 0) {
          f.type = types.get(name)!;
        }
      } else {
        const f = get(name);
        f.help = f.help ?? rest;
      }
      return;
    }
    const m = SAMPLE_LINE.exec(line);
    if (!m) {
      throw new Error(`line ${index + 1}: not a sample: ${line}`);
    }
    const [, name, , labelBody, value] = m;
    let labels: Labels;
    let parsedValue: number;
    try {
      labels = labelBody ? parseLabels(labelBody) : {};
      parsedValue = parseValue(value);
    } catch (err) {
      throw new Error(`line ${index + 1}: ${(err as Error).message}`);
    }
    get(familyOf(name, types)).samples.push({ name, labels, value: parsedValue });
  });
  return families;
}

/** Sum of the samples named `name` whose labels include `match`. */
export function sampleValue(families: Map<string, Family>, name: string, match: Labels = {}): number | undefined {
  let found = false;
  let total = 0;
  for (const f of families.values()) {
    for (const s of f.samples) {
      if (s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v)) {
        found = true;
        total += s.value;
      }
    }
  }
  return found ? total : undefined;
}
