import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TranscriptRecord } from '../simulator/ftp/server.ts';
import { exchangedZips } from './exchanged-zips.ts';

function records(session: string, lines: [string, number][]): TranscriptRecord[] {
  return lines.map(([command, reply]) => ({ time: '2026-12-04T10:00:00.000Z', session, command, reply, ms: 1 }));
}

test('zips are found by absolute paths and by paths relative to the folder a session moved to', () => {
  const zips = exchangedZips([
    ...records('s0001', [['CWD /Sortant/eStock/Tab001', 250], ['RETR Tab001.zip', 226], ['RETR Version.txt', 226]]),
    ...records('s0002', [['CWD /Entrant', 250], ['CWD eStock/Tab001/MvtStocks', 250], ['CDUP', 250],
      ['CWD MvtStocks', 250], ['STOR LotStockExported_20261204_100000.zip.part', 226],
      ['RNFR LotStockExported_20261204_100000.zip.part', 350],
      ['RNTO LotStockExported_20261204_100000.zip', 250]]),
  ]);

  assert.deepEqual(zips, [
    { direction: 'downloaded', path: '/Sortant/eStock/Tab001/Tab001.zip', session: 's0001' },
    { direction: 'uploaded', path: '/Entrant/eStock/Tab001/MvtStocks/LotStockExported_20261204_100000.zip',
      session: 's0002' },
  ]);
});

test('transfers the server did not complete, and folders it refused, count for nothing', () => {
  const zips = exchangedZips(records('s0001', [['CWD /nowhere', 550], ['RETR /Sortant/eStock/T/T.zip', 550],
    ['STOR cut.zip', 426], ['RETR /Sortant/eStock/Images/Images.zip', 226]]));

  assert.deepEqual(zips.map((zip) => zip.path), ['/Sortant/eStock/Images/Images.zip']);
});
