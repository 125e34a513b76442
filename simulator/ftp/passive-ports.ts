/**
 * Choice of the port for each passive data connection. ftp-srv checks a port
 * by listening on it and closing it, then listens again for the client: a
 * port taken in between is lost. Each server counting from the start of the
 * range makes that likely when several servers run at once (tests in
 * parallel, one server per scenario). So every server of a process shares
 * one cursor per range, started at a random place in it.
 */
import { createServer } from 'node:net';

/** An inclusive range of TCP ports. */
export interface PassivePortRange {
  min: number;
  max: number;
}

/** How many ports of the range are tried before a PASV is answered 425. */
export const PASSIVE_PORT_ATTEMPTS = 20;

const cursors = new Map<string, number>();

/**
 * A function that finds a free port of `range` on `host` for the next passive
 * connection. It rejects with an error whose `code` is 425 (the PASV reply)
 * when no port of the first PASSIVE_PORT_ATTEMPTS tried is free.
 */
export function nextPassivePortFinder(
  host: string,
  range: PassivePortRange,
): () => Promise<number> {
  return async () => {
    const attempts = Math.min(PASSIVE_PORT_ATTEMPTS, range.max - range.min + 1);
    for (let attempt = 0; attempt < attempts; attempt++) {
      const port = takePort(range);
      if (await portIsFree(host, port)) return port;
    }
    const error = new Error(`No free passive port in ${range.min}-${range.max}`);
    throw Object.assign(error, { code: 425 });
  };
}

function takePort(range: PassivePortRange): number {
  const key = `${range.min}-${range.max}`;
  const size = range.max - range.min + 1;
  const offset = cursors.get(key) ?? Math.floor(Math.random() * size);
  cursors.set(key, (offset + 1) % size);
  return range.min + offset;
}

function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((answer) => {
    const probe = createServer();
    probe.once('error', () => answer(false));
    probe.listen(port, host, () => probe.close(() => answer(true)));
  });
}
