import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandReader, MAX_COMMAND_LINE_BYTES } from './command-reader.ts';

const lines = (reader: CommandReader, ...chunks: Buffer[]): string[] =>
  chunks.flatMap((chunk) => reader.push(chunk)).map((output) => (output.kind === 'line' ? output.line : '!'));

test('lines are reassembled across chunks, CRLF or bare LF, empty lines skipped', () => {
  const reader = new CommandReader();
  const e = Buffer.from('é');

  const got = lines(reader, Buffer.from('US'), Buffer.from('ER Demo\r\n\r\nPWD\nMKD r'), e.subarray(0, 1),
    Buffer.concat([e.subarray(1), Buffer.from('\r\n')]));

  assert.deepEqual(got, ['USER Demo', 'PWD', 'MKD ré']);
});

test('Telnet interrupt sequences before ABOR are dropped, even when the urgent DM byte was lost', () => {
  const reader = new CommandReader();
  const withDm = Buffer.from([0xff, 0xf4, 0xff, 0xf2, ...Buffer.from('ABOR\r\n')]);
  const withoutDm = Buffer.from([0xff, 0xf4, 0xff, ...Buffer.from('ABOR\r\n')]);

  const got = reader.push(Buffer.concat([withDm, withoutDm]));

  assert.deepEqual(got.map((output) => output.kind === 'line' && output.line), ['ABOR', 'ABOR']);
});

test('a line over the limit without an end is reported once', () => {
  const reader = new CommandReader();

  const got = reader.push(Buffer.alloc(MAX_COMMAND_LINE_BYTES + 1, 0x41));

  assert.deepEqual(got, [{ kind: 'too-long' }]);
  assert.deepEqual(reader.push(Buffer.from('NOOP\r\n')), [{ kind: 'line', line: 'NOOP' }]);
});

test('a Windows-1252 decoder reads the names of a client that sends that code page', () => {
  const reader = new CommandReader();
  const line = Buffer.from([...Buffer.from('STOR R'), 0xe9, ...Buffer.from('colte '), 0xe9, 0x74, 0xe9, 0x0d, 0x0a]);

  const got = reader.push(line, (bytes) => new TextDecoder('windows-1252').decode(bytes));

  assert.deepEqual(got, [{ kind: 'line', line: 'STOR Récolte été' }]);
});
