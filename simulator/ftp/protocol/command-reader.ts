/**
 * Turns the bytes of a control connection into command lines. TCP may split
 * a command across packets or carry several in one: lines are reassembled on
 * CRLF (a bare LF is accepted too), Telnet control sequences that clients put
 * before ABOR are dropped, and a line that grows past the limit without an
 * end is reported once so the session can close.
 */

/** A longer command line, still without its end of line, closes the session. */
export const MAX_COMMAND_LINE_BYTES = 8 * 1024;

const IAC = 0xff;
// Telnet commands (IP 0xF4, DM 0xF2...) are the bytes 0xF0 to 0xFE after an IAC.
const TELNET_COMMANDS_FROM = 0xf0;
const LF = 0x0a;
const CR = 0x0d;

/** What the reader found in the bytes given to `push`. */
export type ReaderOutput =
  | { kind: 'line'; line: string }
  | { kind: 'too-long' };

/**
 * Collects bytes and returns each complete command line, decoded as UTF-8
 * unless told otherwise (a server profile's code page). Empty lines are skipped.
 */
export class CommandReader {
  private pending: Buffer = Buffer.alloc(0);

  /**
   * The complete lines in `chunk` and what came before it, each decoded by
   * `decode` (default UTF-8); keeps the rest for the next chunk.
   */
  push(chunk: Buffer, decode: (line: Buffer) => string = (line) => line.toString('utf8')): ReaderOutput[] {
    let data = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: ReaderOutput[] = [];
    for (let newline = data.indexOf(LF); newline >= 0; newline = data.indexOf(LF)) {
      const end = newline > 0 && data[newline - 1] === CR ? newline - 1 : newline;
      const line = decode(withoutTelnetControls(data.subarray(0, end)));
      data = data.subarray(newline + 1);
      if (line.trim() !== '') out.push({ kind: 'line', line });
    }
    this.pending = data;
    if (data.length > MAX_COMMAND_LINE_BYTES) {
      this.pending = Buffer.alloc(0);
      out.push({ kind: 'too-long' });
    }
    return out;
  }

  /** Drops what is buffered: the bytes after AUTH TLS belong to the TLS layer, not to commands. */
  discard(): number {
    const dropped = this.pending.length;
    this.pending = Buffer.alloc(0);
    return dropped;
  }
}

// Clients send "IAC IP IAC DM ABOR" (RFC 959, section 4.1.3) to interrupt a transfer, with DM as
// TCP urgent data, which the socket may drop: "IAC IP IAC ABOR" must still read as ABOR.
// UTF-8 never holds 0xFF, so IAC is always a Telnet byte; IAC IAC stands for a data 0xFF (in
// Windows-1252 that is "ÿ", which a client must double, RFC 959 section 4.1.3 and RFC 854).
function withoutTelnetControls(line: Buffer): Buffer {
  if (!line.includes(IAC)) return line;
  const kept: number[] = [];
  for (let index = 0; index < line.length; index++) {
    const byte = line[index]!;
    const next = line[index + 1];
    if (byte !== IAC) {
      kept.push(byte);
    } else if (next === IAC) {
      kept.push(IAC);
      index += 1;
    } else if (next !== undefined && next >= TELNET_COMMANDS_FROM) {
      index += 1;
    }
  }
  return Buffer.from(kept);
}
