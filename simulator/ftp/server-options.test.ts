import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { test } from 'node:test';
import { ConfigError } from '../errors.ts';
import {
  checkListenOptions, type ListenOptionNames, type ListenOptions,
} from './server-options.ts';

const FLAGS: ListenOptionNames = {
  host: '--host', port: '--port',
  passiveHost: '--passive-host', passivePorts: '--passive-ports',
};
const ELSEWHERE = '203.0.113.7';

function refusal(options: ListenOptions, names?: ListenOptionNames): string {
  try {
    checkListenOptions(options, names);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.message;
  }
  return assert.fail(`${JSON.stringify(options)} should be refused`);
}

test('the messages name the options as the caller names them', () => {
  assert.match(refusal({ host: ELSEWHERE }, FLAGS),
    /^FTP server: --host 203\.0\.113\.7 is not an address of this machine/);
  assert.match(refusal({ passiveHost: ELSEWHERE }, FLAGS),
    /^FTP server: --passive-host 203\.0\.113\.7 is not an address/);
  assert.match(refusal({ passivePorts: { min: 5, max: 1 } }, FLAGS),
    /--passive-ports 5-1 is not a range of ports 1 to 65535/);
  assert.match(refusal({ port: 70000 }, FLAGS), /--port 70000 is not 0 to 65535/);
  assert.match(refusal({ host: '0.0.0.0' }, FLAGS),
    /--host "0\.0\.0\.0" cannot be given in PASV replies; set --passive-host/);
  assert.match(refusal({ host: '0.0.0.0', passiveHost: 'ftp.example' }, FLAGS),
    /--passive-host "ftp\.example" is not an IP address/);
});

test('without names, a passive host left to its default is named as host', () => {
  assert.match(refusal({ host: ELSEWHERE }), /^FTP server: host 203\.0\.113\.7 is not an address/);
  assert.match(refusal({ host: '127.0.0.1', passiveHost: ELSEWHERE }),
    /^FTP server: passiveHost 203\.0\.113\.7 is not an address/);
  assert.match(refusal({ passivePorts: { min: 5, max: 1 } }), /passivePorts 5-1/);
});

test('a passive host other than the listening address is refused, naming both', (t) => {
  const other = Object.values(networkInterfaces()).flatMap((entries) => entries ?? [])
    .find((entry) => entry.address !== '127.0.0.1')?.address;
  if (other === undefined) return t.skip('this machine has no address but 127.0.0.1');

  const message = refusal({ host: '127.0.0.1', passiveHost: other }, FLAGS);

  const differs = `--passive-host ${other} differs from the listening address 127.0.0.1 (--host)`;
  assert.ok(message.includes(differs), message);
  assert.ok(message.endsWith(`set --host to ${other} or to 0.0.0.0`), message);
});

const notLinux = process.platform !== 'linux' && 'only Linux routes all of 127.0.0.0/8 to the loopback';

test('any address of 127.0.0.0/8 is accepted on Linux, as 127.0.0.1 is', { skip: notLinux }, () => {
  for (const host of ['127.0.0.1', '127.0.0.2', '127.1.2.3']) {
    assert.doesNotThrow(() => checkListenOptions({ host }), host);
    const emulator = { host, passiveHost: '10.0.2.2' };
    assert.doesNotThrow(() => checkListenOptions(emulator), `${host} for an emulator`);
  }
  assert.doesNotThrow(() => checkListenOptions({ host: '0.0.0.0', passiveHost: '127.0.0.2' }));
  assert.match(refusal({ host: '127.0.0.1', passiveHost: '127.0.0.2' }),
    /differs from the listening address/);
});
