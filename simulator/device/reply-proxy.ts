/**
 * For tests of the device's care: a TCP proxy on 127.0.0.1 in front of the
 * FTP server's control connection that can change, hold back or cut the
 * server's replies, one rule a test gives. Data connections go to the server
 * itself (its passive address is 127.0.0.1 too), so the file lands there in
 * full while the device sees whatever reply the rule makes up: the case of a
 * reply that goes wrong after all the data.
 */
import { connect, createServer, type Socket } from 'node:net';
import type { TestContext } from 'node:test';

/**
 * What to do with one line of a reply, given the last command the client
 * sent (`STOR /Entrant/...`): a line to send instead, `hold` to send nothing
 * (the client waits for it until its timeout), `reset` to cut the control
 * connection, or undefined to pass it on.
 */
export type ReplyRule = (command: string, line: string) => string | 'hold' | 'reset' | undefined;

/** A started proxy: its port, and every command line it passed on, in order. */
export interface ReplyProxy {
  port: number;
  commands: string[];
}

/** Splits a byte stream into CRLF-ended lines, handing each (without its CRLF) to `take`. */
function lineReader(take: (line: string) => void): (chunk: Buffer) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk.toString('latin1');
    for (let end = pending.indexOf('\r\n'); end >= 0; end = pending.indexOf('\r\n')) {
      take(pending.slice(0, end));
      pending = pending.slice(end + 2);
    }
  };
}

/** Starts the proxy in front of `server`; it closes when the test ends. */
export async function startReplyProxy(t: TestContext, server: { host: string; port: number },
  rule: ReplyRule): Promise<ReplyProxy> {
  const sockets = new Set<Socket>();
  const commands: string[] = [];
  const proxy = createServer((client) => {
    const upstream = connect(server.port, server.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => (socket === client ? upstream : client).destroy());
    }
    let command = '';
    client.on('data', lineReader((line) => {
      command = line;
      commands.push(line);
      upstream.write(`${line}\r\n`, 'latin1');
    }));
    upstream.on('data', lineReader((line) => {
      const decided = rule(command, line);
      if (decided === 'reset') {
        client.resetAndDestroy();
        upstream.destroy();
      } else if (decided !== 'hold') {
        client.write(`${decided ?? line}\r\n`, 'latin1');
      }
    }));
  });
  await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
  t.after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((done) => proxy.close(done));
  });
  const address = proxy.address();
  if (address === null || typeof address === 'string') throw new Error('the reply proxy has no port');
  return { port: address.port, commands };
}

/**
 * A rule that acts on the `occurrence`th (from 1) final reply `code` to a
 * command starting with `verb`, e.g. the first 226 to a STOR, and passes
 * everything else on.
 */
export function onReply(verb: string, code: number, occurrence: number,
  action: string | 'hold' | 'reset'): ReplyRule {
  let seen = 0;
  return (command, line) => {
    if (!command.toUpperCase().startsWith(`${verb} `) || !line.startsWith(`${code} `)) return undefined;
    seen += 1;
    return seen === occurrence ? action : undefined;
  };
}
