/**
 * The text-level cases of the bad-input corpus: the zip reads, its movements
 * file does not follow the codec to the letter. What can be read without
 * guessing is imported; a line that cannot is refused with its line number
 * and reason, and the others imported; a file whose lines cannot be told
 * apart leaves the zip in the inbox.
 */
import {
  imported, leftInInbox, onLine, spoil, withComment, withQuantity, type CaseDefinition, type CaseInput,
} from './cases.ts';
import { fileOf, movementZip, type FileWriting } from './upload-files.ts';

function zipOf(input: CaseInput, lines: readonly string[], writing: FileWriting = {}): Promise<Buffer> {
  return movementZip(input.mapping, fileOf(lines, writing));
}

const ENCODING_CASES: CaseDefinition[] = [
  {
    name: 'utf8-bom',
    description: 'The movements file in UTF-8 with a byte order mark, a comment « Livré à Loïc »: ' +
      'the mark says UTF-8, so it is read as UTF-8; all imported.',
    build: async (input) => ({
      bytes: await zipOf(input, withComment(input, 2, 'Livré à Loïc'), { encoding: 'utf-8', utf8Bom: true }),
      expect: imported(input, [1, 2, 3]),
    }),
  },
  {
    name: 'utf8-without-bom',
    description: 'The movements file in UTF-8 without a mark, movement 2 commented « Livré à Loïc »: ' +
      'read as windows-1252 it would say « LivrÃ© Ã  LoÃ¯c »; that line is refused, the others imported.',
    build: async (input) => ({
      bytes: await zipOf(input, withComment(input, 2, 'Livré à Loïc'), { encoding: 'utf-8' }),
      expect: imported(input, [1, 3], [onLine(input, 3, new RegExp('UTF-8 text in a windows-1252 file: ' +
        '"Ã©" would be read for "é" \\(U\\+00E9\\); the line is refused'))]),
    }),
  },
  {
    name: 'windows-1252-behind-bom',
    description: 'A UTF-8 byte order mark, then windows-1252 bytes (« Loïc » on movement 2): read as ' +
      'UTF-8 as the mark says, that line is not UTF-8 and is refused, the others imported.',
    build: async (input) => ({
      bytes: await zipOf(input, withComment(input, 2, 'Loïc'), { utf8Bom: true }),
      expect: imported(input, [1, 3], [onLine(input, 3, /byte 0xEF is not valid utf-8; the line is refused/)]),
    }),
  },
  {
    name: 'undecodable-byte',
    description: 'Byte 0x81, which windows-1252 does not define, in the comment of movement 1: ' +
      'that line is refused, the others imported.',
    build: async (input) => {
      const movements = fileOf(withComment(input, 1, 'x@y'));
      movements[movements.indexOf('x@y') + 1] = 0x81;
      return {
        bytes: await movementZip(input.mapping, movements),
        expect: imported(input, [2, 3], [onLine(input, 2, /byte 0x81 is not valid windows-1252; the line is refused/)]),
      };
    },
  },
];

const FIELD_CASES: CaseDefinition[] = [
  {
    name: 'quoted-separators',
    description: 'Comments holding the separator and quotes, quoted as CSV does ("Vente; caveau", ' +
      '"dit ""urgent""; ok"): one field each; all imported.',
    build: async (input) => {
      const lines = withComment(input, 1, '"Vente; caveau"');
      lines[3] = lines[3]!.replace(/;$/, ';"dit ""urgent""; ok"');
      return { bytes: await zipOf(input, lines), expect: imported(input, [1, 2, 3]) };
    },
  },
  {
    name: 'thousands-dot',
    description: 'Movement 2 of quantity 1.234,5 (thousands grouped with a dot): refused with the ' +
      'reason, not read as 1234,5 nor 1,2345; the others imported.',
    build: async (input) => ({
      bytes: await zipOf(input, withQuantity(input, 2, '1.234,5')),
      expect: imported(input, [1, 3], [onLine(input, 3,
        /QUANTITE: not a number: "1\.234,5": thousands separators are refused, write "1234,5"/)]),
    }),
  },
  {
    name: 'thousands-space',
    description: 'Movement 2 of quantity 1 234,5 (thousands grouped with a space): refused, ' +
      'the others imported.',
    build: async (input) => ({
      bytes: await zipOf(input, withQuantity(input, 2, '1 234,5')),
      expect: imported(input, [1, 3], [onLine(input, 3,
        /QUANTITE: not a number: "1 234,5": thousands separators are refused, write "1234,5"/)]),
    }),
  },
  {
    name: 'decimal-point',
    description: 'Movement 3 of quantity 2.5 (a decimal point where the format has a comma): ' +
      'refused, the others imported.',
    build: async (input) => ({
      bytes: await zipOf(input, withQuantity(input, 3, '2.5')),
      expect: imported(input, [1, 2], [onLine(input, 4,
        /QUANTITE: not a number: "2\.5": the decimal separator is ","/)]),
    }),
  },
  {
    name: 'missing-field',
    description: 'Movement 2 without its last field (13 of 14): refused, the others imported.',
    build: async (input) => ({
      bytes: await zipOf(input, spoil(input, 2, (line) => line.replace(/;$/, ''))),
      expect: imported(input, [1, 3], [onLine(input, 3, /wrong number of fields \(13, expected 14\)/)]),
    }),
  },
  {
    name: 'extra-field',
    description: 'Movement 2 with a 15th field: refused, the others imported.',
    build: async (input) => ({
      bytes: await zipOf(input, spoil(input, 2, (line) => `${line};extra`)),
      expect: imported(input, [1, 3], [onLine(input, 3, /wrong number of fields \(15, expected 14\)/)]),
    }),
  },
];

const LINE_CASES: CaseDefinition[] = [
  {
    name: 'lf-endings',
    description: 'The movements file with LF line endings where CRLF is due: read the same; all imported.',
    build: async (input) => ({
      bytes: await zipOf(input, input.lines, { endings: '\n' }),
      expect: imported(input, [1, 2, 3]),
    }),
  },
  {
    name: 'mixed-endings',
    description: 'CRLF and LF in turn: read the same; all imported.',
    build: async (input) => ({
      bytes: await zipOf(input, input.lines, { endings: ['\r\n', '\n'] }),
      expect: imported(input, [1, 2, 3]),
    }),
  },
  {
    name: 'cr-endings',
    description: 'CR alone after each line (old Mac): no line can be told apart; left in the inbox.',
    build: async (input) => ({
      bytes: await zipOf(input, input.lines, { endings: '\r' }),
      expect: leftInInbox(input, /lines end with CR; the mapping's codec\.lineEnding allows CRLF or LF/,
        '/MVTSTOCK.txt:1'),
    }),
  },
  {
    name: 'empty-movements-file',
    description: 'A movements file of 0 bytes in the zip, not even the header: left in the inbox.',
    build: async (input) => ({
      bytes: await movementZip(input.mapping, Buffer.alloc(0)),
      expect: leftInInbox(input, /empty file \(0 bytes\): expected at least the header line/, '/MVTSTOCK.txt'),
    }),
  },
  {
    name: 'unclosed-quote',
    description: 'A quote opened in the comment of movement 2 and never closed: no later line ' +
      'boundary can be trusted; left in the inbox.',
    build: async (input) => ({
      bytes: await zipOf(input, spoil(input, 2, (line) => `${line}"never`)),
      expect: leftInInbox(input, /cannot split the file into lines from here on/, '/MVTSTOCK.txt:3'),
    }),
  },
];

/** The text-level cases, in corpus order. */
export const TEXT_CASES: readonly CaseDefinition[] = [...ENCODING_CASES, ...FIELD_CASES, ...LINE_CASES];
