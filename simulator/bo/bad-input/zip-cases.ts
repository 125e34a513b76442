/**
 * The zip-level cases of the bad-input corpus: entry names that climb out of
 * their folder, files that are not zips or not whole ones, damaged data, and
 * zip bombs. But for the clean upload and Windows separators, the back office
 * cannot read any of them: each stays in the inbox with one anomaly.
 */
import { writeZip } from '../../exchange/index.ts';
import {
  imported, leftInInbox, type CaseDefinition, type CaseInput,
} from './cases.ts';
import { fileOf, movementZip, tinyPng, uploadEntries, zipWithNames } from './upload-files.ts';
import { damageEntryData, declareSizes, padLastEntry } from './zip-patch.ts';

// yauzl's words for a file without the record that ends every zip.
const NO_END_RECORD = /not a zip, or a truncated one \(End of central directory record signature not found/;
// The padded bomb's headers claim this ratio, under the limit of 200.
const CLAIMED_RATIO = 150;

function goodZip(input: CaseInput): Promise<Buffer> {
  return movementZip(input.mapping, fileOf(input.lines));
}

/** The three good files and an entry named `name`. */
function withEntry(input: CaseInput, name: string): Promise<Buffer> {
  return movementZip(input.mapping, fileOf(input.lines), [{ name, data: Buffer.from('evil\r\n') }]);
}

/** The three good files and the bomb as `padding.bin`, the fourth entry. */
function bombZip(input: CaseInput): Promise<Buffer> {
  return movementZip(input.mapping, fileOf(input.lines), [{ name: 'padding.bin', data: input.bomb }]);
}

function unsafeName(name: string, description: string, reason: RegExp): CaseDefinition {
  return {
    name,
    description: `Beside the three files, an entry named ${description}: the zip is refused whole, ` +
      'before any entry is read, and left in the inbox.',
    build: async (input) => ({
      bytes: await withEntry(input, description),
      expect: leftInInbox(input, reason),
    }),
  };
}

const NAME_CASES: CaseDefinition[] = [
  unsafeName('entry-parent-slash', '../evil.txt',
    /unsafe entry name \(invalid relative path: \.\.\/evil\.txt\)/),
  unsafeName('entry-parent-backslash', '..\\..\\Sortant\\eStock\\Tab001\\Tab001.zip',
    /unsafe entry name \(invalid relative path: \.\.\/\.\.\/Sortant\/eStock\/Tab001\/Tab001\.zip\)/),
  unsafeName('entry-absolute', '/tmp/evil.txt', /unsafe entry name \(absolute path: \/tmp\/evil\.txt\)/),
  unsafeName('entry-drive-letter', 'C:\\evil.txt', /unsafe entry name \(absolute path: C:\/evil\.txt\)/),
  {
    name: 'entry-backslash-separators',
    description: 'The three files named .\\MVTSTOCK.txt and so on, as some Windows tools write them: ' +
      'a backslash is a separator and "." is dropped, so the upload is read as usual.',
    build: async (input) => ({
      bytes: await zipWithNames(uploadEntries(input.mapping, fileOf(input.lines), '.\\')),
      expect: imported(input, [1, 2, 3]),
    }),
  },
  {
    name: 'entry-in-a-folder',
    description: 'The three files inside a folder (LotStock\\MVTSTOCK.txt): safe, but not where the ' +
      'format puts them; the zip is left in the inbox, the anomaly says what it holds.',
    build: async (input) => ({
      bytes: await zipWithNames(uploadEntries(input.mapping, fileOf(input.lines), 'LotStock\\')),
      expect: leftInInbox(input, new RegExp('missing: the movement upload has no MVTSTOCK\\.txt ' +
        '\\(table MVTSTOCK\\); it holds LotStock/MVTSTOCK\\.txt'), '/MVTSTOCK.txt'),
    }),
  },
];

const DAMAGE_CASES: CaseDefinition[] = [
  {
    name: 'truncated-half',
    description: 'The first half of a good upload, as an upload cut off midway leaves it: ' +
      'left in the inbox.',
    build: async (input) => {
      const zip = await goodZip(input);
      return { bytes: zip.subarray(0, Math.floor(zip.length / 2)), expect: leftInInbox(input, NO_END_RECORD) };
    },
  },
  {
    name: 'truncated-tail',
    description: 'A good upload without its last 10 bytes (the end of the central directory cut): ' +
      'left in the inbox.',
    build: async (input) => {
      const zip = await goodZip(input);
      return {
        bytes: zip.subarray(0, zip.length - 10),
        expect: leftInInbox(input, /not a zip, or a truncated one/),
      };
    },
  },
  {
    name: 'empty-upload',
    description: 'A file of 0 bytes under an upload\'s name (an upload that sent nothing): ' +
      'left in the inbox.',
    build: (input) => ({
      bytes: Buffer.alloc(0),
      expect: leftInInbox(input, /empty file \(0 bytes\), not a zip: the upload may be unfinished/),
    }),
  },
  {
    name: 'text-not-zip',
    description: 'The movements file itself, not zipped, under the zip\'s name: left in the inbox.',
    build: (input) => ({ bytes: fileOf(input.lines), expect: leftInInbox(input, NO_END_RECORD) }),
  },
  {
    name: 'png-not-zip',
    description: 'A PNG image under the zip\'s name: left in the inbox.',
    build: (input) => ({ bytes: tinyPng(), expect: leftInInbox(input, NO_END_RECORD) }),
  },
  {
    name: 'damaged-data',
    description: 'A third of the movements file\'s compressed bytes inverted in transit, the headers ' +
      'intact: the data does not inflate or its CRC-32 does not match; left in the inbox.',
    build: async (input) => ({
      bytes: damageEntryData(await goodZip(input), 0),
      expect: leftInInbox(input, /entry MVTSTOCK\.txt: .*; the zip is refused/),
    }),
  },
];

const BOMB_CASES: CaseDefinition[] = [
  {
    name: 'bomb-ratio',
    description: 'Beside the three files, 8 MiB of zeros deflated to some 8 KiB (about 1,000 times): ' +
      'refused from its header, before a byte is inflated; left in the inbox.',
    build: async (input) => ({
      bytes: await bombZip(input),
      expect: leftInInbox(input, new RegExp('entry padding\\.bin declares 8388608 bytes from \\d+ compressed ' +
        '\\(\\d+ times\\), more than the limit of 200 times: a zip bomb')),
    }),
  },
  {
    name: 'bomb-lying-size',
    description: 'The same zeros, the headers saying they make 1,000 bytes: refused as soon as ' +
      'inflating gives more; left in the inbox.',
    build: async (input) => ({
      bytes: declareSizes(await bombZip(input), 3, { uncompressed: 1000 }),
      expect: leftInInbox(input, /entry padding\.bin: gives more bytes than the 1000 it declares/),
    }),
  },
  {
    name: 'bomb-padded',
    description: 'The same zeros followed by padding counted in their compressed size, so that the ' +
      `headers claim a ratio of ${CLAIMED_RATIO}: the ratio is measured on the bytes the inflater ` +
      'really takes, and the zip refused while inflating; left in the inbox.',
    build: async (input) => {
      const deflated = (await writeZip([{ name: 'padding.bin', data: input.bomb }])).readUInt32LE(18);
      const padding = Buffer.alloc(Math.ceil(input.bomb.length / CLAIMED_RATIO) - deflated, 0x55);
      return {
        bytes: padLastEntry(await bombZip(input), padding),
        expect: leftInInbox(input, new RegExp('entry padding\\.bin: gave \\d+ bytes from \\d+ compressed ' +
          '\\(\\d+ times\\), more than the limit of 200 times: a zip bomb, whatever its header says')),
      };
    },
  },
];

/** The zip-level cases, in corpus order. */
export const ZIP_CASES: readonly CaseDefinition[] = [...NAME_CASES, ...DAMAGE_CASES, ...BOMB_CASES];
