import { logqlProblems } from '../../dashboards/queryParse';
import {
  canonicalSearch,
  lokiTraceQuery,
  parseTraceInput,
  quoteMeta,
  type SearchKind,
  traceLogQL,
  TRACE_MAX_LINES,
} from './traceQuery';

const REQUEST = '3f2c9a7e-1b4d-4e8a-9c0f-5d6e7f8a9b0c';
const RUN = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const DELIVERY = '72d3162e-cc78-11e3-81ab-4c9367dc0958';
/** KiCI 0.9.1 logs a generic webhook's deliveryId as `<routing_key>:<uuid>` and returns it to the sender. */
const GENERIC_DELIVERY = `generic:acme:deploy-hooks:${REQUEST}`;

describe('parseTraceInput', () => {
  it('takes a bare UUID as the picked kind, lower-cased, quotes and spaces trimmed', () => {
    expect(parseTraceInput(`  "${REQUEST.toUpperCase()}" `)).toEqual({ ids: [{ kind: 'any', value: REQUEST }] });
    expect(parseTraceInput(RUN, 'runId')).toEqual({ ids: [{ kind: 'runId', value: RUN }] });
  });

  it("reads the agent's trace header as a runId and a requestId", () => {
    expect(parseTraceInput(`Run: ${RUN} | Trace: ${REQUEST}`)).toEqual({
      ids: [
        { kind: 'runId', value: RUN },
        { kind: 'requestId', value: REQUEST },
      ],
    });
  });

  it('reads named ids from a pasted JSON log line, webhook response or header, whatever kind is picked', () => {
    const line = JSON.stringify({
      level: 'info',
      message: 'Job dispatched',
      runId: RUN,
      requestId: REQUEST,
      jobId: 'build',
      service: 'orchestrator',
    });
    expect(parseTraceInput(line, 'eventId').ids).toEqual([
      { kind: 'runId', value: RUN },
      { kind: 'requestId', value: REQUEST },
    ]);
    expect(parseTraceInput(`{"requestId":"${REQUEST}"}`).ids).toEqual([{ kind: 'requestId', value: REQUEST }]);
    expect(parseTraceInput(`X-GitHub-Delivery: ${DELIVERY}`).ids).toEqual([{ kind: 'deliveryId', value: DELIVERY }]);
  });

  it("keeps a generic webhook's <routing_key>:<uuid> deliveryId whole, from the response body or bare", () => {
    expect(parseTraceInput(`{"deliveryId":"${GENERIC_DELIVERY}"}`).ids).toEqual([
      { kind: 'deliveryId', value: GENERIC_DELIVERY },
    ]);
    expect(parseTraceInput(` ${GENERIC_DELIVERY} `)).toEqual({
      ids: [{ kind: 'deliveryId', value: GENERIC_DELIVERY }],
    });
    expect(parseTraceInput(`deliveryId: ${GENERIC_DELIVERY}`, 'runId').ids).toEqual([
      { kind: 'deliveryId', value: GENERIC_DELIVERY },
    ]);
    expect(parseTraceInput(`github:42:${DELIVERY.toUpperCase()}`).ids).toEqual([
      { kind: 'deliveryId', value: `github:42:${DELIVERY.toUpperCase()}` },
    ]);
  });

  it('takes an X-Request-ID as an id of unknown kind: it is not the pipeline requestId', () => {
    expect(parseTraceInput(`X-Request-ID: ${REQUEST}`).ids).toEqual([{ kind: 'any', value: REQUEST }]);
  });

  it('does not take a name inside a longer word (e.g. "rerun:") as a kind', () => {
    expect(parseTraceInput(`rerun: ${RUN}`).ids).toEqual([{ kind: 'any', value: RUN }]);
  });

  it('takes a non-UUID job id verbatim and refuses input that cannot be an id', () => {
    expect(parseTraceInput('build', 'jobId')).toEqual({ ids: [{ kind: 'jobId', value: 'build' }] });
    expect(parseTraceInput('   ').problem).toMatch(/Enter a requestId/);
    expect(parseTraceInput('a"b').problem).toMatch(/no quotes/);
    expect(parseTraceInput('a\\b').problem).toMatch(/backslashes/);
    expect(parseTraceInput('x'.repeat(201)).problem).toMatch(/201 characters/);
    expect(parseTraceInput('x'.repeat(201)).ids).toEqual([]);
  });
});

describe('canonicalSearch', () => {
  it('writes ids so that parsing them again gives the same ids', () => {
    const cases: Array<[string, SearchKind]> = [
      [`Run: ${RUN} | Trace: ${REQUEST}`, 'any'],
      [`{"eventId":"${RUN}","message":"Event moved to DLQ after exhausting retries"}`, 'runId'],
      [`${RUN} ${REQUEST}`, 'any'],
      [RUN, 'deliveryId'],
      ['build', 'jobId'],
    ];
    for (const [text, kind] of cases) {
      const ids = parseTraceInput(text, kind).ids;
      expect(ids.length).toBeGreaterThan(0);
      expect(parseTraceInput(canonicalSearch(ids, kind), kind).ids).toEqual(ids);
    }
    expect(canonicalSearch(parseTraceInput(`Run: ${RUN} | Trace: ${REQUEST}`).ids, 'any')).toBe(
      `runId=${RUN} requestId=${REQUEST}`
    );
    expect(canonicalSearch([{ kind: 'runId', value: RUN }], 'runId')).toBe(RUN);
  });
});

describe('traceLogQL', () => {
  it('filters the raw line on the id, then matches every id field for an id of unknown kind', () => {
    const q = traceLogQL([{ kind: 'any', value: REQUEST }]);
    expect(q).toBe(
      `{service=~"platform|orchestrator|agent"} |= "${REQUEST}" ` +
        '| json kici_service="service", kici_level="level", kici_message="message", requestId="requestId", ' +
        'runId="runId", jobId="jobId", eventId="eventId", deliveryId="deliveryId" | __error__="" ' +
        `| requestId="${REQUEST}" or runId="${REQUEST}" or jobId="${REQUEST}" or eventId="${REQUEST}" or deliveryId=~"(.+:)?${REQUEST}"`
    );
    expect(logqlProblems(q)).toEqual([]);
  });

  it('matches only the named field for a known kind, and ORs several ids with a regex line filter', () => {
    const q = traceLogQL([
      { kind: 'runId', value: RUN },
      { kind: 'requestId', value: REQUEST },
    ]);
    expect(q).toContain(`|~ \`${RUN}|${REQUEST}\``);
    expect(q.endsWith(`| runId="${RUN}" or requestId="${REQUEST}"`)).toBe(true);
    expect(logqlProblems(q)).toEqual([]);
  });

  it("finds a generic webhook's deliveryId whole, and by its uuid part (a bare GitHub delivery id still matches)", () => {
    const whole = traceLogQL([{ kind: 'deliveryId', value: GENERIC_DELIVERY }]);
    expect(whole).toContain(`|= "${GENERIC_DELIVERY}"`);
    expect(whole.endsWith(`| deliveryId="${GENERIC_DELIVERY}"`)).toBe(true);
    expect(logqlProblems(whole)).toEqual([]);
    const byUuid = traceLogQL([{ kind: 'deliveryId', value: DELIVERY }]);
    expect(byUuid).toContain(`|= "${DELIVERY}"`);
    expect(byUuid.endsWith(`| deliveryId=~"(.+:)?${DELIVERY}"`)).toBe(true);
    expect(logqlProblems(byUuid)).toEqual([]);
    const any = traceLogQL([{ kind: 'any', value: REQUEST }]);
    expect(any).toContain(`or deliveryId=~"(.+:)?${REQUEST}"`);
    expect(any).not.toContain(`deliveryId="${REQUEST}"`);
  });

  it('escapes what it quotes, so odd job ids stay one string', () => {
    const q = traceLogQL([{ kind: 'jobId', value: 'test (node 20)' }]);
    expect(q).toContain('|= "test (node 20)"');
    expect(q.endsWith('| jobId="test (node 20)"')).toBe(true);
    expect(logqlProblems(q)).toEqual([]);
    const two = traceLogQL([
      { kind: 'jobId', value: 'a.b' },
      { kind: 'jobId', value: 'c+d' },
    ]);
    expect(two).toContain('|~ `a\\.b|c\\+d`');
    expect(logqlProblems(two)).toEqual([]);
    expect(quoteMeta('x|y(z)')).toBe('x\\|y\\(z\\)');
  });

  it('refuses what it cannot quote safely', () => {
    expect(() => traceLogQL([])).toThrow(/at least one id/);
    expect(() => traceLogQL([{ kind: 'jobId', value: 'a`b' }])).toThrow(/not a searchable id/);
    expect(() => traceLogQL([{ kind: 'jobId', value: 'a\nb' }])).toThrow(/not a searchable id/);
  });

  it('makes a forward (oldest first) log query with a line limit', () => {
    expect(lokiTraceQuery([{ kind: 'eventId', value: RUN }])).toEqual({
      refId: 'trace',
      expr: traceLogQL([{ kind: 'eventId', value: RUN }]),
      queryType: 'range',
      direction: 'forward',
      maxLines: TRACE_MAX_LINES,
      editorMode: 'code',
    });
  });
});
