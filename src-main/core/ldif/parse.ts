import { RosterError } from '#shared/result';
import { BINARY_ATTRIBUTES, type LdapEntry } from '../ldap/search';
import { dnWithVisibleEscapes, visibleText } from '../visible-text';
import { LineSplitter, type LineSink } from './lines';

/** What an LDIF file holds: its entries, how many change records were passed over, and what was left out. */
export interface LdifParseResult {
  entries: LdapEntry[];
  /** Change records (changetype modify, delete, moddn, modrdn): they describe edits, not entries. */
  skipped: number;
  warnings: string[];
}

const BINARY_LOWER = new Set(BINARY_ATTRIBUTES.map((a) => a.toLowerCase()));
// RFC 4512 descriptors and numeric OIDs, then options; `_` is tolerated inside names as some exports use it.
const ATTRIBUTE_NAME = /^[A-Za-z0-9][\w.-]*(;[\w-]+)*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const CHANGE_TYPES = new Set(['add', 'modify', 'delete', 'modrdn', 'moddn']);
// ldapsearch without -LLL writes result and referral records that have no dn.
const SEARCH_RESULT_LINES = new Set(['search', 'result', 'ref']);
const MAX_WARNINGS = 100;

/** Text from the file as a message shows it: shortened, and control characters escaped so a file cannot forge output. */
const preview = (text: string): string => visibleText(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * Builds entries from logical lines. The line being read lives in fields rather than a fresh object per line:
 * a large export has millions of lines.
 */
class RecordReader implements LineSink {
  readonly entries: LdapEntry[] = [];
  readonly warnings: string[] = [];
  skipped = 0;
  private warningCount = 0;
  // The open record: dn undefined between records; `skip` for change and ldapsearch result records.
  private dn: string | undefined;
  private skip = false;
  private text: Record<string, string[]> = {};
  private binary: Record<string, Buffer[]> = {};
  private attributeCount = 0;
  // Attribute names as written → lower-cased name without options; exports repeat a few dozen names.
  private readonly keys = new Map<string, string>();
  // The current line, split.
  private name = '';
  private key = '';
  private kind: 'text' | 'base64' | 'url' = 'text';
  private value = '';
  private lineNo = 0;

  constructor(private readonly source: string) {}

  line(text: string, line: number): void {
    if (this.skip) return;
    this.lineNo = line;
    this.split(text);
    if (this.dn === undefined) this.startRecord();
    else if (this.key === 'dn') this.fail(`a second "dn:" in one record. Records are separated by a blank line; add one above this line.`);
    else if (this.attributeCount === 0 && (this.key === 'changetype' || this.key === 'control')) this.changeType();
    else this.addValue();
  }

  blank(): void {
    if (this.dn === undefined) return;
    if (!this.skip) this.entries.push({ dn: this.dn, text: this.text, binary: this.binary });
    this.text = {};
    this.binary = {};
    this.attributeCount = 0;
    this.dn = undefined;
    this.skip = false;
  }

  finish(): void {
    this.blank();
    if (this.warningCount > MAX_WARNINGS)
      this.warnings.push(`${this.source}: ${this.warningCount - MAX_WARNINGS} more warnings like the ones above were left out.`);
  }

  private fail(what: string): never {
    throw new RosterError('invalid-input', `${this.source} line ${this.lineNo}: ${what}`);
  }

  private split(text: string): void {
    const colon = text.indexOf(':');
    if (colon < 0)
      this.fail(`"${preview(text)}" is not an "attribute: value" line (there is no colon). If it continues the line above, start it with one space.`);
    // Some hand-written files put spaces before the colon; readers such as OpenLDAP's accept them.
    const name = text.slice(0, colon).trimEnd();
    let key = this.keys.get(name);
    if (key === undefined) {
      if (!ATTRIBUTE_NAME.test(name)) {
        this.fail(
          `"${preview(name)}" is not an attribute name. Write "name: value" with a name of letters, digits and hyphens (options after ";"), e.g. "cn" or "userCertificate;binary".`,
        );
      }
      // Options name another attribute description (`cn;lang-es` is not `cn`), kept apart as a live search keeps
      // them; only the `;binary` transfer option (RFC 4522) says how a value is encoded rather than what it is.
      key = name.toLowerCase().replace(/;binary(?=;|$)/g, '');
      this.keys.set(name, key);
    }
    this.name = name;
    this.key = key;
    const marker = text.charCodeAt(colon + 1);
    if (marker === 0x3a /* : */ || marker === 0x3c /* < */) {
      this.kind = marker === 0x3a ? 'base64' : 'url';
      this.value = text.slice(colon + 2).trim();
      return;
    }
    // RFC 2849: spaces after the colon are not part of the value; spaces at its end are.
    let start = colon + 1;
    while (text.charCodeAt(start) === 0x20) start += 1;
    this.kind = 'text';
    this.value = text.slice(start);
  }

  private startRecord(): void {
    if (this.key === 'version') {
      if (this.value.trim() !== '1') this.fail(`LDIF version "${preview(this.value)}" is not supported; Roster reads version 1 (RFC 2849).`);
    } else if (this.key === 'dn') {
      if (this.kind === 'url') this.fail('a DN cannot be given by URL ("dn:<"); write it as text after "dn:" or as base64 after "dn::".');
      // A control or bidi character in a DN would act wherever the DN is shown: it becomes its RFC 4514 escape.
      this.dn = dnWithVisibleEscapes(this.kind === 'base64' ? this.base64().toString('utf8') : this.value);
    } else if (SEARCH_RESULT_LINES.has(this.key)) {
      this.dn = '';
      this.skip = true;
    } else {
      this.fail(
        `the record starts with "${this.name}:" but every record must start with "dn:". Add the dn line, or remove the blank line that splits this record from the one above.`,
      );
    }
  }

  private changeType(): void {
    if (this.key === 'control') return;
    const type = this.value.trim().toLowerCase();
    if (!CHANGE_TYPES.has(type)) this.fail(`changetype "${preview(this.value)}" is not one of add, modify, delete, modrdn, moddn.`);
    if (type !== 'add') {
      this.skip = true;
      this.skipped += 1;
    }
  }

  private addValue(): void {
    if (this.kind === 'url') {
      this.warn(`the value of ${this.name} refers to ${preview(this.value)}; Roster does not read files an LDIF file points to, so this value was left out.`);
      return;
    }
    this.attributeCount += 1;
    // Array.isArray, not `in`: a name such as "constructor" finds Object.prototype's function, which must be
    // shadowed, not pushed to. ("__proto__" cannot get here: ATTRIBUTE_NAME does not start with "_".)
    if (BINARY_LOWER.has(this.key)) {
      const value = this.kind === 'base64' ? this.base64() : Buffer.from(this.value, 'utf8');
      const list = this.binary[this.key];
      if (Array.isArray(list)) list.push(value);
      else this.binary[this.key] = [value];
    } else {
      const value = this.kind === 'base64' ? this.base64().toString('utf8') : this.value;
      const list = this.text[this.key];
      if (Array.isArray(list)) list.push(value);
      else this.text[this.key] = [value];
    }
  }

  private base64(): Buffer {
    if (!BASE64.test(this.value) || this.value.length % 4 === 1) {
      this.fail(
        `the value of ${this.name} after "::" is not valid base64 ("${preview(this.value)}"). Export the file again, or write the value as plain text after a single colon.`,
      );
    }
    return Buffer.from(this.value, 'base64');
  }

  private warn(what: string): void {
    this.warningCount += 1;
    if (this.warningCount <= MAX_WARNINGS) this.warnings.push(`${this.source} line ${this.lineNo}: ${what}`);
  }
}

/**
 * Parses LDIF (RFC 2849) as ldifde, slapcat and ldapsearch write it into entries shaped like a live search's.
 * Attribute names are lower-cased and keep their options (`cn;lang-es` stays apart from `cn`), all but the
 * `;binary` transfer option (`userCertificate;binary` → `usercertificate`); BINARY_ATTRIBUTES become
 * Buffers. Values given by URL (`attr:< file://…`) are left out with a warning: a file must never make Roster
 * read other files. A malformed line, or one that is not UTF-8, throws `invalid-input` naming its physical
 * line number; text from the file in messages has its control characters escaped (`\x1b`), and so do DNs,
 * as RFC 4514 writes them (`\1b`: the same name), since DNs are shown everywhere. The bytes come in chunks
 * (`push`, then `end`), so a file never has to be in memory whole.
 */
export class LdifParser {
  private readonly reader: RecordReader;
  private readonly splitter: LineSplitter;

  constructor(source = 'the LDIF file') {
    this.reader = new RecordReader(source);
    this.splitter = new LineSplitter(source, this.reader);
  }

  /** Parses the next bytes; chunks may end anywhere, even inside a character. */
  push(chunk: Uint8Array): void {
    this.splitter.push(chunk);
  }

  /** Ends the input and gives what the file held. */
  end(): LdifParseResult {
    this.splitter.end();
    this.reader.finish();
    return { entries: this.reader.entries, skipped: this.reader.skipped, warnings: this.reader.warnings };
  }
}

/**
 * Parses a whole LDIF text or file content (see LdifParser). Bytes are best: folding may split a multi-byte
 * character, which only bytes can put back together.
 */
export function parseLdif(input: string | Uint8Array, source = 'the LDIF file'): LdifParseResult {
  const parser = new LdifParser(source);
  parser.push(typeof input === 'string' ? Buffer.from(input, 'utf8') : input);
  return parser.end();
}
