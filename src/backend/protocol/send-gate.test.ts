import * as grpc from '@grpc/grpc-js';

import { FifoGate, sendGateInterceptor } from './send-gate';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('FifoGate', () => {
  it('hands out at most `slots` turns, the rest in the order they were asked for', async () => {
    const gate = new FifoGate(2);
    const order: number[] = [];
    const releases: Array<() => void> = [];
    for (let i = 0; i < 6; i++) {
      void gate.acquire().then((r) => {
        order.push(i);
        releases[i] = r;
      });
    }
    await tick();
    expect(order).toEqual([0, 1]);
    expect(gate.queued).toBe(4);
    releases[1]();
    releases[1](); // a second release of the same turn frees nothing more
    await tick();
    expect(order).toEqual([0, 1, 2]);
    releases[0]();
    releases[2]();
    await tick();
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(gate.inUse).toBe(2);
    releases[3]();
    releases[4]();
    await tick();
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    releases[5]();
    expect(gate.inUse).toBe(0);
    expect(gate.queued).toBe(0);
  });
});

type Listener = Parameters<grpc.ServerInterceptingCallInterface['start']>[0];
type Status = Parameters<grpc.ServerInterceptingCallInterface['sendStatus']>[0];

/** A stand-in for grpc-js's own call under the interceptor: records what reaches the wire. */
function fakeCall() {
  const sent: string[] = [];
  let listener: Listener | undefined;
  const call = {
    start: (l: Listener) => (listener = l),
    sendMetadata: () => sent.push('metadata'),
    sendMessage: (m: unknown, cb: () => void) => {
      sent.push(`message ${String(m)}`);
      cb();
    },
    sendStatus: (s: Status) => sent.push(`status ${s.code}`),
    startRead: () => undefined,
    getPeer: () => 'peer',
    getDeadline: () => Infinity,
    getHost: () => 'host',
    getAuthContext: () => ({}),
    getConnectionInfo: () => ({}),
    getMetricsRecorder: () => undefined,
  };
  return { call: call as unknown as grpc.ServerInterceptingCallInterface, sent, cancel: () => listener?.onCancel() };
}

const QUERY = { path: '/pluginv2.Data/QueryData' } as grpc.ServerMethodDefinition<unknown, unknown>;
const listener: Listener = {
  onReceiveMetadata: () => undefined,
  onReceiveMessage: () => undefined,
  onReceiveHalfClose: () => undefined,
  onCancel: () => undefined,
};

describe('sendGateInterceptor', () => {
  it('writes a gated answer only with a turn, and gives the turn back once the status follows the write', async () => {
    const gate = new FifoGate(1);
    const interceptor = sendGateInterceptor(gate, new Set([QUERY.path]));
    const a = fakeCall();
    const b = fakeCall();
    const ca = interceptor(QUERY, a.call);
    const cb = interceptor(QUERY, b.call);
    ca.start(listener);
    cb.start(listener);
    const held = await gate.acquire();
    ca.sendMessage('A', () => ca.sendStatus({ code: grpc.status.OK, details: '' }));
    cb.sendMessage('B', () => cb.sendStatus({ code: grpc.status.OK, details: '' }));
    await tick();
    expect(a.sent).toEqual(['metadata']);
    expect(b.sent).toEqual(['metadata']);
    held();
    await tick();
    expect(a.sent).toEqual(['metadata', 'message A', 'status 0']);
    expect(b.sent).toEqual(['metadata', 'message B', 'status 0']);
    expect(gate.inUse).toBe(0);
  });

  it('gives the turn back when the caller cancels, and an ungated method never waits', async () => {
    const gate = new FifoGate(1);
    const interceptor = sendGateInterceptor(gate, new Set([QUERY.path]));
    const a = fakeCall();
    const ca = interceptor(QUERY, a.call);
    ca.start(listener);
    const held = await gate.acquire();
    ca.sendMessage('A', () => undefined);
    a.cancel();
    held();
    await tick();
    expect(a.sent).toEqual(['metadata']);
    expect(gate.inUse).toBe(0);

    const busy = await gate.acquire();
    const h = fakeCall();
    const ch = interceptor({ path: '/plugin.GRPCController/Shutdown' } as typeof QUERY, h.call);
    ch.start(listener);
    ch.sendMessage('bye', () => ch.sendStatus({ code: grpc.status.OK, details: '' }));
    await tick();
    expect(h.sent).toEqual(['metadata', 'message bye', 'status 0']);
    busy();
  });
});
