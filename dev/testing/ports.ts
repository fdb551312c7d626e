// Ports for listeners the tests close on purpose ("a node that is down", "nothing listens here").
// A port from listen(0) comes from the kernel's ephemeral range (ip_local_port_range, 32768–60999 by
// default on Linux), which every other suite's listen(0) and outgoing connection draw from too: once
// closed, it can be handed to someone else, and "connection refused" becomes another server's 404.
// These come from below that range, a block per Jest worker, so a closed one stays closed. The start in
// the block depends on the process id, so two test runs side by side rarely meet.
import { createServer } from 'node:net';

const FIRST = 20_000;
const BLOCK = 400;
let next = process.pid % BLOCK;

function bindable(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** A free port on `host` that no other Jest worker and no listen(0) will be given. */
export async function quietPort(host = '127.0.0.1'): Promise<number> {
  const worker = Number(process.env.JEST_WORKER_ID ?? 0);
  for (let tried = 0; tried < BLOCK; tried++) {
    const port = FIRST + worker * BLOCK + (next++ % BLOCK);
    if (await bindable(port, host)) {
      return port;
    }
  }
  throw new Error(`no free port in ${FIRST + worker * BLOCK}–${FIRST + (worker + 1) * BLOCK - 1}`);
}
