/**
 * The TLS certificate both servers of the FTP benchmark present: one
 * self-signed RSA 2048 pair made by `openssl req`, so that neither server
 * gets a cheaper key than the other.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** PEM certificate and private key files. */
export interface CertificatePair {
  certFile: string;
  keyFile: string;
}

/** Makes `cert.pem` and `key.pem` in `folder` for 127.0.0.1, valid two days. Throws if openssl fails. */
export function makeSelfSignedCert(folder: string): CertificatePair {
  const certFile = join(folder, 'cert.pem');
  const keyFile = join(folder, 'key.pem');
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', keyFile, '-out', certFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? '';
    throw new Error(`openssl req could not make a self-signed certificate in ${folder}: ${stderr}`,
      { cause: error });
  }
  return { certFile, keyFile };
}
