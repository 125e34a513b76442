/**
 * The FTP sessions opened while a step runs, and their transcript. Every
 * client of a scenario's simulator logs in with the company's login, so a
 * session is told apart by when it starts: steps run one at a time, and the
 * sessions a device step opens are that device's (those of a BO step, the
 * BO's).
 */
import type { StartedFtpServer, TranscriptRecord } from '../simulator/ftp/server.ts';

/** How long to wait, after a step, for its sessions to end (their last command is recorded then), in ms. */
export const SESSION_END_WAIT_MS = 1_000;

/** Sessions being watched; `stop()` waits for them to end and gives their records. */
export interface SessionWatch {
  /** Stops watching, waits up to `waitMs` for the sessions to end, and returns their records, oldest first. */
  stop(waitMs?: number): Promise<TranscriptRecord[]>;
}

/** Starts noting the sessions the server opens from now on. */
export function watchSessions(ftp: StartedFtpServer): SessionWatch {
  const open = new Set<string>();
  const seen = new Set<string>();
  let allEnded: (() => void) | undefined;
  const onStart = ({ session }: { session: string }) => {
    seen.add(session);
    open.add(session);
  };
  const onEnd = ({ session }: { session: string }) => {
    open.delete(session);
    if (open.size === 0) allEnded?.();
  };
  ftp.on('session-start', onStart);
  ftp.on('session-end', onEnd);

  return {
    async stop(waitMs = SESSION_END_WAIT_MS) {
      ftp.off('session-start', onStart);
      if (open.size > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          allEnded = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      ftp.off('session-end', onEnd);
      return ftp.transcript().filter((record) => seen.has(record.session));
    },
  };
}

/**
 * A transcript as text, a line a command: time, session, command, reply,
 * bytes and duration, e.g.
 * `10:41:07.213 s0004 RETR /Sortant/eStock/Tab001/Tab001.zip  226  35210 B  12 ms`.
 * Each fault that fired while a command was answered follows it on a line
 * of its own that stands out:
 * `    !! FAULT 2 (cut): upload of Entrant/eStock/Tab001/MvtStocks/x.zip cut at 5120 of 12800 bytes`.
 */
export function formatTranscript(records: readonly TranscriptRecord[]): string {
  if (records.length === 0) return '(no FTP session during this step)';
  return records.flatMap((record) => {
    const bytes = record.bytes === undefined ? '' : `  ${record.bytes} B`;
    const cut = record.cutShort === undefined ? '' : `  cut short: ${record.cutShort}`;
    const faults = (record.faults ?? []).map(({ fault, kind, text }) => `    !! FAULT ${fault} (${kind}): ${text}`);
    return [`${record.time.slice(11, 23)} ${record.session} ${record.command}  ${record.reply}${bytes}  ` +
      `${record.ms} ms${cut}`, ...faults];
  }).join('\n');
}

/** The faults that fired in these records, a line each as formatTranscript gives them; empty when none. */
export function firedFaultLines(records: readonly TranscriptRecord[]): string[] {
  return records.flatMap((record) => (record.faults ?? []).map(({ fault, kind, text }) =>
    `${record.time.slice(11, 23)} ${record.session} ${record.command}: FAULT ${fault} (${kind}): ${text}`));
}
