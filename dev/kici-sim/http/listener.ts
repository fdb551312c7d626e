// One loopback port of the sim (an orchestrator node, an agent, the Platform) with its fault switch.
// A plain `net` server owns the port and hands each connection to the HTTP server, or to an HTTPS
// server with a self-signed certificate while the `tls` fault is on, so faults switch without
// re-binding. `down` really closes the port (connection refused) and reopens the same port later.
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { FaultSpec } from '../model';
import { faultResponse, OVERSIZED_BYTES, writeOversized } from './faults';
import type { SimResponse } from './router';
import { SIM_TLS_CERT, SIM_TLS_KEY } from './tls-fixture';

export type ResponseDecorator = (res: SimResponse) => SimResponse;

export interface ListenerOptions {
  host: string;
  port: number;
  /** Produces the normal answer; faults are applied around it. */
  handle: (req: IncomingMessage) => Promise<SimResponse>;
  /** Called once per answered request (status as sent) — the orchestrator logs `Request completed` here. */
  onAnswered?: (req: IncomingMessage, status: number, durationMs: number) => void;
  fault?: FaultSpec;
}

export interface SimListener {
  readonly host: string;
  readonly port: number;
  /** Always `http://…`: under the `tls` fault the same URL answers with a TLS handshake. */
  readonly url: string;
  readonly fault: FaultSpec;
  setFault(fault: FaultSpec): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_SLOW_MS = 5000;

export async function startListener(opts: ListenerOptions): Promise<SimListener> {
  let fault: FaultSpec = opts.fault ?? { mode: 'none' };
  const sockets = new Set<Socket>();
  const pendingTimers = new Set<NodeJS.Timeout>();

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const active = fault;
    const answer = async () => {
      let response: SimResponse;
      try {
        response = await opts.handle(req);
      } catch {
        response = {
          status: 500,
          contentType: 'application/json',
          body: JSON.stringify({ error: 'Internal server error' }),
        };
      }
      const faulted = faultResponse(active, response);
      if (faulted === 'oversized') {
        writeOversized(res, response);
      } else {
        res.writeHead(faulted.status, {
          'content-type': faulted.contentType,
          'content-length': Buffer.byteLength(faulted.body),
          ...faulted.headers,
        });
        res.end(faulted.body);
      }
      const status = faulted === 'oversized' ? response.status : faulted.status;
      opts.onAnswered?.(req, status, Number(process.hrtime.bigint() - started) / 1e6);
    };
    if (active.mode === 'slow') {
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        void answer();
      }, active.delayMs ?? DEFAULT_SLOW_MS);
      pendingTimers.add(timer);
    } else {
      void answer();
    }
  };

  const http: HttpServer = createHttpServer({ keepAliveTimeout: 65_000 }, onRequest);
  const https: HttpsServer = createHttpsServer({ cert: SIM_TLS_CERT, key: SIM_TLS_KEY }, onRequest);

  let net: NetServer | null = null;
  let port = opts.port;

  const open = () =>
    new Promise<void>((resolve, reject) => {
      const server = createNetServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => socket.destroy());
        (fault.mode === 'tls' ? https : http).emit('connection', socket);
      });
      server.once('error', reject);
      server.listen(port, opts.host, () => {
        server.off('error', reject);
        const address = server.address();
        port = typeof address === 'object' && address ? address.port : port;
        net = server;
        resolve();
      });
    });

  const shut = () =>
    new Promise<void>((resolve) => {
      const server = net;
      net = null;
      for (const socket of sockets) {
        socket.destroy();
      }
      sockets.clear();
      if (!server) {
        resolve();
        return;
      }
      server.close(() => resolve());
    });

  if (fault.mode !== 'down') {
    await open();
  } else if (port === 0) {
    // A node that starts `down` still needs a stable port to come back on.
    await open();
    await shut();
  }

  const listener: SimListener = {
    host: opts.host,
    get port() {
      return port;
    },
    get url() {
      return `http://${opts.host}:${port}`;
    },
    get fault() {
      return fault;
    },
    async setFault(next: FaultSpec) {
      const wasDown = fault.mode === 'down';
      const protocolChanged = (fault.mode === 'tls') !== (next.mode === 'tls');
      fault = { ...next };
      if (next.mode === 'down' && !wasDown) {
        await shut();
      } else if (next.mode !== 'down' && wasDown) {
        await open();
      } else if (protocolChanged) {
        // Kept-alive connections would otherwise go on speaking the old protocol.
        for (const socket of sockets) {
          socket.destroy();
        }
      }
    },
    async close() {
      for (const timer of pendingTimers) {
        clearTimeout(timer);
      }
      pendingTimers.clear();
      await shut();
      http.closeAllConnections();
    },
  };
  return listener;
}

export { OVERSIZED_BYTES };
