/**
 * The transcript of the sessions one client run opened, and the checks the
 * interoperability tests make on it. Every failed check quotes the whole
 * transcript, so that a failure says what crossed the wire.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import type { TranscriptRecord } from '../server.ts';

/** What a command must have come to: its final reply, and the data bytes when given. */
export interface ExpectedReply {
  reply: number;
  bytes?: number;
}

function verbOf(record: TranscriptRecord): string {
  return record.command.split(' ', 1)[0]!.toUpperCase();
}

/** The records of a client run's sessions, oldest first. */
export class SessionRecords {
  constructor(readonly records: readonly TranscriptRecord[]) {}

  /** The transcript as JSON lines, under a heading, for an error message. */
  describe(): string {
    if (this.records.length === 0) return 'FTP transcript: no command reached the server';
    const lines = this.records.map((record) => JSON.stringify(record));
    return `FTP transcript:\n${lines.join('\n')}`;
  }

  /** assert.deepEqual, quoting the transcript when it fails; `what` names the value. */
  expectEqual(actual: unknown, expected: unknown, what: string): void {
    assert.deepEqual(actual, expected, `${what}\n${this.describe()}`);
  }

  /** assert.ok, quoting the transcript when it fails; `what` says what must hold. */
  expectTrue(condition: boolean, what: string): void {
    assert.ok(condition, `${what}\n${this.describe()}`);
  }

  /** The records whose command is `verb` (case-insensitive), e.g. `RETR`. */
  withVerb(verb: string): TranscriptRecord[] {
    return this.records.filter((record) => verbOf(record) === verb.toUpperCase());
  }

  /**
   * Asserts that the last command `line` (a verb alone matches any argument)
   * got `expected`. Returns that record.
   */
  expect(line: string, expected: ExpectedReply): TranscriptRecord {
    const candidates = line.includes(' ')
      ? this.records.filter((record) => record.command === line)
      : this.withVerb(line);
    const record = candidates.at(-1);
    assert.ok(record !== undefined, `no "${line}" command reached the server\n${this.describe()}`);
    const got = { reply: record.reply, ...(expected.bytes !== undefined && { bytes: record.bytes }) };
    this.expectEqual(got, expected, `"${record.command}" came to ${JSON.stringify(got)}`);
    return record;
  }

  /** Asserts that the first command of `verb` got `expected`. */
  expectFirst(verb: string, expected: ExpectedReply): void {
    const record = this.withVerb(verb)[0];
    const got = { reply: record?.reply, ...(expected.bytes !== undefined && { bytes: record?.bytes }) };
    this.expectEqual(got, expected, `the first ${verb}`);
  }

  /** Asserts that one of `verbs` was sent and the last of it got `expected`; returns the verb used. */
  expectOneOf(verbs: readonly string[], expected: ExpectedReply): string {
    const used = verbs.find((verb) => this.withVerb(verb).length > 0);
    this.expectTrue(used !== undefined, `none of ${verbs.join(', ')} reached the server`);
    this.expect(used!, expected);
    return used!;
  }

  /** Asserts a download resumed at `offset`: `REST offset` (350), then a RETR of `rest` bytes (226). */
  expectResumedDownload(offset: number, rest: number): void {
    this.expect(`REST ${offset}`, { reply: 350 });
    this.expect('RETR', { reply: 226, bytes: rest });
  }

  /**
   * Asserts an upload resumed at `offset`: either `REST offset` (350) then a
   * STOR, or an APPE, of the `rest` bytes (226).
   */
  expectResumedUpload(offset: number, rest: number): void {
    if (this.withVerb('APPE').length > 0) {
      this.expect('APPE', { reply: 226, bytes: rest });
      return;
    }
    this.expect(`REST ${offset}`, { reply: 350 });
    this.expect('STOR', { reply: 226, bytes: rest });
  }

  /** Asserts that the login was refused (530 to USER or PASS) and nothing was accepted (no 230). */
  expectLoginRefused(): void {
    this.expectOneOf(['PASS', 'USER'], { reply: 530 });
    const accepted = this.records.filter((record) => record.reply === 230);
    this.expectEqual(accepted, [], 'a login was accepted');
  }

  /** Asserts that `file` (local, or on the server's disk) holds `expected`; `what` names it. */
  expectFile(file: string, expected: Buffer, what: string): void {
    this.expectTrue(existsSync(file), `${what}: no file ${file}`);
    const bytes = readFileSync(file);
    this.expectTrue(bytes.equals(expected),
      `${what}: ${file} holds ${bytes.length} bytes that differ from the ${expected.length} expected`);
  }

  /** Asserts that no command got a 4xx or 5xx reply, but those of the verbs `allowed` (e.g. `CWD`). */
  expectNoFailure(allowed: readonly string[] = []): void {
    const failed = this.records.filter((record) => record.reply >= 400 && !allowed.includes(verbOf(record)));
    this.expectEqual(failed.map((record) => `${record.command} -> ${record.reply}`), [], 'commands failed');
  }

  /** Asserts that every session secured its control link (AUTH TLS, 234) and data links (PROT P, 200). */
  expectTls(): void {
    for (const session of new Set(this.records.map((record) => record.session))) {
      const commands = this.records.filter((record) => record.session === session);
      const auth = commands.find((record) => /^AUTH (TLS|SSL)$/i.test(record.command));
      const prot = commands.find((record) => /^PROT P$/i.test(record.command));
      this.expectEqual(auth?.reply, 234, `session ${session} did not secure its control link`);
      this.expectEqual(prot?.reply, 200, `session ${session} did not protect its data links`);
    }
  }

  /** Asserts that no session asked for TLS. */
  expectPlain(): void {
    const auth = this.withVerb('AUTH').map((record) => record.command);
    this.expectEqual(auth, [], 'a plain client asked for TLS');
  }

  /** expectTls() when `secure`, else expectPlain(). */
  expectTransport(secure: boolean): void {
    if (secure) this.expectTls();
    else this.expectPlain();
  }
}
