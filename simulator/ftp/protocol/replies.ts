/**
 * FTP replies as they go on the wire (RFC 959, section 4.2): `213 20240101120000`
 * on one line, or `211-Features:` ... `211 End` over several.
 */

/** One reply: a code and its text, one line or several. */
export interface Reply {
  code: number;
  text: string | readonly string[];
}

/** The bytes of a reply, each line ended by CRLF. Line breaks inside a text are replaced by spaces. */
export function formatReply({ code, text }: Reply): string {
  const lines = (typeof text === 'string' ? [text] : [...text]).map((line) => line.replace(/[\r\n]+/g, ' '));
  if (lines.length <= 1) return `${code} ${lines[0] ?? ''}\r\n`;
  const last = lines.pop()!;
  const [first, ...middle] = lines;
  // Middle lines start with a space so that none can be read as the closing "213 " line.
  return [`${code}-${first}`, ...middle.map((line) => ` ${line}`), `${code} ${last}`]
    .map((line) => `${line}\r\n`).join('');
}

/** A path in a 257 reply: quoted, with every `"` doubled (RFC 959, appendix II). */
export function quotePath(path: string): string {
  return `"${path.replaceAll('"', '""')}"`;
}
