/**
 * File names on the wire under a server profile: UTF-8 (ours, and most
 * servers'), or Windows-1252 as on an old Windows server that does not know
 * UTF8. Command lines are decoded, and replies and listings encoded, in the
 * profile's code page; names on disk stay UTF-8.
 */
import iconv from 'iconv-lite';
import type { ServerProfile } from './profile-schema.ts';

/** The code page of names on the wire. */
export type NameEncoding = NonNullable<ServerProfile['nameEncoding']>;

/** The name encoding of a profile; UTF-8 without one. */
export function nameEncodingOf(profile: ServerProfile | undefined): NameEncoding {
  return profile?.nameEncoding ?? 'utf-8';
}

/** Text as it goes on the wire; a character the code page lacks becomes `?`, as Windows servers send it. */
export function encodeNames(text: string, encoding: NameEncoding): Buffer {
  return encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, encoding);
}

/** Bytes from the wire as text. */
export function decodeNames(bytes: Buffer, encoding: NameEncoding): string {
  return encoding === 'utf-8' ? bytes.toString('utf8') : iconv.decode(bytes, encoding);
}
