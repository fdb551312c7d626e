// First-come-first-served turns for sending responses: at most `slots` answers are being written to the one
// HTTP/2 connection at a time, the rest wait in the order they asked. Bun's HTTP/2 server does not share a short
// flow-control window fairly among many streams sending at once (bench/README.md, "Item 2"); with few senders a
// starved stream waits for a few answers, not for hundreds.
import * as grpc from '@grpc/grpc-js';

export class FifoGate {
  private busy = 0;
  private readonly waiting: Array<() => void> = [];
  private head = 0;

  constructor(readonly slots: number) {}

  /** Resolves with a release function once a slot is free; slots are handed out in the order asked for. */
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        this.busy++;
        let released = false;
        resolve(() => {
          if (!released) {
            released = true;
            this.busy--;
            this.next();
          }
        });
      };
      // A release hands its slot to the first waiter at once, so a free slot means nobody is waiting.
      if (this.busy < this.slots) {
        grant();
      } else {
        this.waiting.push(grant);
      }
    });
  }

  get queued(): number {
    return this.waiting.length - this.head;
  }

  get inUse(): number {
    return this.busy;
  }

  private next(): void {
    while (this.busy < this.slots && this.queued > 0) {
      const grant = this.waiting[this.head];
      this.head++;
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      grant();
    }
  }
}

/**
 * A gRPC server interceptor that takes a turn of `gate` before a response message of one of `paths` is written and
 * gives it back when the write has completed (grpc-js sends the status from the write's callback), or when the call
 * ends without one (an error status, a cancelled call). Other methods (health, Shutdown, stdio) never wait.
 */
export function sendGateInterceptor(gate: FifoGate, paths: ReadonlySet<string>): grpc.ServerInterceptor {
  return (descriptor, call) => {
    if (!paths.has(descriptor.path)) {
      return new grpc.ServerInterceptingCall(call);
    }
    let release: (() => void) | undefined;
    let ended = false;
    const end = () => {
      ended = true;
      release?.();
      release = undefined;
    };
    return new grpc.ServerInterceptingCall(call, {
      start: (next) => next({ onCancel: end }),
      sendMessage: (message, next) => {
        void gate.acquire().then((r) => {
          if (ended) {
            r();
            return;
          }
          release = r;
          next(message);
        });
      },
      sendStatus: (status, next) => {
        end();
        next(status);
      },
    });
  };
}
