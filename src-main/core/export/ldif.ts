import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkpoint, fieldsToApply, FILE_BUFFER, type ExportDocument, type WriteContext } from './document';
import { describeDirectory } from './parts';

/** RFC 2849 suggests lines of at most 76 characters; longer ones are folded. */
const LINE_LIMIT = 76;

/**
 * RFC 2849 SAFE-STRING: ASCII without NUL, LF or CR, not starting with space, ':' or '<'. A value ending
 * with a space should be base64 too (it would be trimmed by some readers).
 */
// eslint-disable-next-line no-control-regex -- the control characters are what makes a value unsafe
const SAFE_STRING = /^(?:[\x01-\x09\x0b\x0c\x0e-\x1f\x21-\x39\x3b\x3d-\x7f][\x01-\x09\x0b\x0c\x0e-\x7f]*)?$/;

/** Whether a value or DN can be written as is; otherwise it goes base64 after `::`. */
export const isSafeString = (value: string): boolean => SAFE_STRING.test(value) && !value.endsWith(' ');

/**
 * Folds a line to at most 76 bytes per physical line, continuation lines starting with one space. Counts
 * UTF-8 bytes but only breaks between characters, so comments with accents stay readable in an editor.
 */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line) <= LINE_LIMIT) return line;
  const parts: string[] = [];
  let current = '';
  let bytes = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    if (bytes + size > LINE_LIMIT) {
      parts.push(current);
      current = ' ';
      bytes = 1;
    }
    current += char;
    bytes += size;
  }
  parts.push(current);
  return parts.join('\n');
}

/** `name: value`, or `name:: base64` when the value is not a safe string; folded. */
export function ldifLine(name: string, value: string): string {
  return foldLine(isSafeString(value) ? `${name}: ${value}` : `${name}:: ${Buffer.from(value, 'utf8').toString('base64')}`);
}

/** A comment line: newlines cannot continue a comment, so they become spaces. */
const comment = (text: string): string => foldLine(`# ${text.replace(/[\r\n]+/g, ' ')}`);

/**
 * Which directory the file is for: a file is applied to one directory, so the header names it (server and base
 * DN), and for an `ldif-file` realm says that the change set is for the directory its LDIF was exported from.
 */
function directoryLines(doc: ExportDocument): { lines: string[]; server: string } {
  const { about } = doc;
  const [directory, ...more] = about.directories ?? [];
  if (!directory || more.length > 0) return { lines: [`Realms: ${about.realms.length > 0 ? about.realms.join(', ') : 'none'}`], server: 'ldap://server' };
  const lines = [`Directory: ${describeDirectory(directory)}`];
  if (directory.kind === 'ldif-file') {
    lines.push(
      `Roster reads this realm from an LDIF file: apply the change set to the directory that file was exported from (entries under ${directory.baseDn || 'the DNs below'}), not to the file.`,
    );
  } else {
    lines.push(`Apply it to this directory only: every DN below is an entry of ${directory.realm}.`);
  }
  if (about.siblings?.length) lines.push(`The other realms' users are in their own files: ${about.siblings.join(', ')}`);
  return { lines, server: directory.urls[0] ?? 'ldap://server' };
}

/** The comment header: what the file is, which directory it is for, where it comes from, and how to apply it. */
function header(doc: ExportDocument): string[] {
  const { about } = doc;
  const directory = directoryLines(doc);
  const lines = [
    `Roster LDIF for ldapmodify: ${about.content === 'changes' ? 'change set (completions, edits and emptied values since the last sync)' : 'every chosen field'}`,
    ...directory.lines,
    `Scope: ${about.scope}`,
    `Written ${about.at.toISOString()} by ${about.who} (Roster ${about.rosterVersion})`,
    `Users: ${about.users}`,
    ...about.skipped.map((s) => `Skipped: ${s.count} ${s.reason}`),
    'Each record replaces the listed attributes; a replace without values removes the attribute.',
    `Apply with: ldapmodify -H ${directory.server} -D <bind DN> -W -f <this file>`,
  ];
  return lines.map(comment);
}

/** One modify record, ending with the blank line that separates records. */
export function modifyRecord(dn: string, changes: readonly { attribute: string; values: readonly string[] }[]): string {
  const lines = [ldifLine('dn', dn), 'changetype: modify'];
  for (const { attribute, values } of changes) {
    lines.push(`replace: ${attribute}`, ...values.map((v) => ldifLine(attribute, v)), '-');
  }
  return `${lines.join('\n')}\n\n`;
}

/**
 * Writes the document as an LDIF change set for `ldapmodify -f`: per user with a DN and something to apply,
 * one `changetype: modify` record with a `replace` per attribute. Rows without a DN or without fields to apply
 * are left out (the export service counts them). Returns the number of modify records.
 */
export async function writeLdif(doc: ExportDocument, file: string, ctx: WriteContext): Promise<{ records: number }> {
  let records = 0;
  const chunks = function* () {
    yield `version: 1\n\n${header(doc).join('\n')}\n\n`;
    for (const [i, row] of doc.rows.entries()) {
      checkpoint(ctx, i);
      const dn = row.user.origin?.dn;
      const changes = dn ? fieldsToApply(doc, row) : [];
      if (!dn || changes.length === 0) continue;
      records += 1;
      yield modifyRecord(dn, changes);
    }
  };
  await pipeline(Readable.from(chunks()), createWriteStream(file, { highWaterMark: FILE_BUFFER }));
  ctx.progress(doc.rows.length);
  return { records };
}
