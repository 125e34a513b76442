/**
 * Our FTP server in a process of its own for the benchmark (our-server.ts
 * starts it). It receives its options as the first IPC message, answers
 * `{ port, root }` or `{ error }`, and stops when told or when the parent goes.
 */
import { startFtpServer, type FtpServerOptions, type StartedFtpServer } from '../server.ts';

/** The first message from the parent. */
export interface ChildStart {
  options: FtpServerOptions;
  company: string;
}

/** The child's answer. */
export type ChildReady = { port: number; root: string } | { error: string; code?: string };

let server: StartedFtpServer | undefined;

async function stop(): Promise<void> {
  await server?.stop();
  process.disconnect?.();
  process.exit(0);
}

process.once('message', (start: ChildStart) => {
  startFtpServer(start.options).then((started) => {
    server = started;
    process.send?.({ port: started.port, root: started.companyRoot(start.company) } satisfies ChildReady);
  }, (error: Error & { code?: string }) => {
    process.send?.({ error: error.message, code: error.code } satisfies ChildReady, () => process.exit(1));
  });
  process.on('message', () => void stop());
});
process.once('disconnect', () => void stop());
// Ctrl-C reaches this process too; the parent decides when the server stops.
process.on('SIGINT', () => {});
