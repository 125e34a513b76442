"""Python's ftplib as an FTP client of the interoperability tests.

Usage: python3 ftplib_client.py HOST PORT LOGIN PASSWORD plain|tls|tls-reuse|tls12-id-reuse [ENCODING] < operations

Runs the operations of line-client.ts (one a line on standard input, fields
separated by tabs) in one session, in passive mode and binary type, and
prints their results the same way. With `tls`, the session is FTP_TLS:
AUTH TLS before the login, then PROT P; the server's certificate is not
checked, since the test server's is self-signed. `tls-reuse` is FTP_TLS made
to resume the control connection's TLS session on each data connection, as
servers such as vsftpd require (plain FTP_TLS does not). `tls12-id-reuse` is
`tls-reuse` with TLS 1.2 at most and no session tickets asked for, so that
sessions resume by their session id. ENCODING is the code
page of file names on the wire (default utf-8, ftplib's). Exits with 1 at the first
operation that fails, naming it and the server's reply on standard error.
"""
import ftplib
import ssl
import sys


class SessionReusingFTP_TLS(ftplib.FTP_TLS):
    """FTP_TLS whose data connections resume the control connection's TLS session."""

    def ntransfercmd(self, cmd, rest=None):
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            conn = self.context.wrap_socket(conn, server_hostname=self.host, session=self.sock.session)
        return conn, size


def open_session(host, port, login, password, transport, encoding):
    if transport in ('tls', 'tls-reuse', 'tls12-id-reuse'):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        if transport == 'tls12-id-reuse':
            context.maximum_version = ssl.TLSVersion.TLSv1_2
            context.options |= ssl.OP_NO_TICKET
        kind = ftplib.FTP_TLS if transport == 'tls' else SessionReusingFTP_TLS
        ftp = kind(context=context, timeout=10, encoding=encoding)
    else:
        ftp = ftplib.FTP(timeout=10, encoding=encoding)
    ftp.connect(host, int(port))
    ftp.login(login, password)
    if transport != 'plain':
        ftp.prot_p()
    ftp.set_pasv(True)
    ftp.voidcmd('TYPE I')
    return ftp


def in_folder(ftp, folder, listing):
    # Listing the working folder gives bare names from every server; NLST of a path may prefix them.
    ftp.cwd(folder)
    try:
        return listing()
    finally:
        ftp.cwd('/')


def run(ftp, operation, out):
    verb, *args = operation
    if verb == 'list':
        lines = in_folder(ftp, args[0], lambda: collect(lambda add: ftp.retrlines('LIST', add)))
        out.extend(['line', line] for line in lines)
    elif verb == 'nlst':
        out.extend(['name', name] for name in in_folder(ftp, args[0], ftp.nlst))
    elif verb == 'mlsd':
        for name, facts in ftp.mlsd(args[0], facts=['type', 'size']):
            out.append(['entry', name, facts.get('type', ''), facts.get('size', '')])
    elif verb == 'get':
        get(ftp, args[0], args[1], int(args[2]) if len(args) > 2 else 0)
    elif verb == 'put':
        put(ftp, 'STOR', args[0], args[1], int(args[2]) if len(args) > 2 else 0)
    elif verb == 'append':
        put(ftp, 'APPE', args[0], args[1], int(args[2]))
    elif verb == 'rename':
        ftp.rename(args[0], args[1])
    elif verb == 'delete':
        ftp.delete(args[0])
    else:
        raise ValueError('unknown operation ' + verb)


def collect(listing):
    lines = []
    listing(lines.append)
    return lines


def get(ftp, remote, local, offset):
    # A resumed download keeps the first `offset` bytes already there and asks for the rest (REST).
    with open(local, 'r+b' if offset else 'wb') as file:
        file.seek(offset)
        file.truncate()
        ftp.retrbinary('RETR ' + remote, file.write, rest=offset or None)


def put(ftp, verb, local, remote, offset):
    with open(local, 'rb') as file:
        file.seek(offset)
        rest = offset if verb == 'STOR' and offset else None
        ftp.storbinary(verb + ' ' + remote, file, rest=rest)


def main():
    host, port, login, password, transport = sys.argv[1:6]
    encoding = sys.argv[6] if len(sys.argv) > 6 else 'utf-8'
    sys.stdout.reconfigure(encoding='utf-8', newline='\n')
    operations = [line.split('\t') for line in sys.stdin.buffer.read().decode('utf-8').splitlines() if line]
    ftp = open_session(host, port, login, password, transport, encoding)
    for operation in operations:
        out = []
        try:
            run(ftp, operation, out)
        except (ftplib.Error, OSError, EOFError) as error:
            sys.stderr.write('ftplib: %s failed: %s\n' % (' '.join(operation), error))
            sys.exit(1)
        for fields in out:
            print('\t'.join(fields))
        print('done\t' + operation[0], flush=True)
    ftp.quit()


if __name__ == '__main__':
    main()
