import { before } from 'node:test';
import { prepareCommonsNet, runCommonsNet } from './commons-net-client.ts';
import { describeLineClient } from './line-client-suite.ts';

// Apache Commons Net: the FTP library of many Java and Android apps. Its FTPSClient opens every
// data link with a TLS handshake of its own, and reads the reply to each command strictly.

let classes = '';

before(async () => {
  classes = await prepareCommonsNet();
});

describeLineClient('Commons Net', (ftp, secure, operations) => runCommonsNet(classes, ftp, secure, operations));
