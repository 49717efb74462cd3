import { isUtf8 } from 'node:buffer';
import { SearchEntry, type Client, type Entry, type MessageParser } from 'ldapts';
import type { LdapEntry } from './search';

/*
 * Why this exists instead of a fork of ldapts: ldapts (8.x) decodes every search entry into Attribute objects
 * and runs a strict (fatal) UTF-8 TextDecoder over every value, catching the exception for values that are
 * not text; every AD objectGUID throws there, even when it is listed in explicitBufferAttributes, which only
 * changes what toObject() hands back afterwards. For a 100,000-user realm that decoding was about half of
 * reading. This wrapper keeps ldapts for everything (connection, TLS, bind, paging, controls, errors) and
 * only takes over the decoding of SearchResultEntry messages of the searches Roster marks (see
 * markDecodedSearch): it reads the BER straight into Roster's LdapEntry, text as UTF-8 (exactly what ldapts
 * plus normaliseEntry gave, see decodeText), binary attributes as bytes, never throwing on the way.
 * It uses two things ldapts does not declare public: Client.messageParser, and that a request's
 * explicitBufferAttributes array reaches MessageParser.read() as the same array. When either is not
 * there (another ldapts version), installEntryDecoder does nothing and ldapts decodes as before.
 */

/** What a marked search wants: which attributes are bytes, and which were requested (absent ones come back empty, as ldapts does). */
interface DecodePlan {
  binary: ReadonlySet<string>;
  requested: readonly string[];
}

const plans = new WeakMap<readonly string[], DecodePlan>();

/**
 * The explicitBufferAttributes list to pass to ldapts for a search whose entries this module decodes:
 * `binary` (lower-case names) are kept as bytes, everything else is text; `requested` are the attributes asked for.
 */
export function markDecodedSearch(binary: ReadonlySet<string>, requested: readonly string[], explicit: readonly string[]): string[] {
  const list = [...explicit];
  plans.set(list, { binary, requested: requested.map((a) => a.toLowerCase()) });
  return list;
}

/** A search entry this module decoded; ldapts hands it back from toObject() as it is. */
export class DecodedEntry implements LdapEntry {
  constructor(
    readonly dn: string,
    readonly text: Record<string, string[]>,
    readonly binary: Record<string, Buffer[]>,
  ) {}
}

/** What ldapts' client keeps for a request, as MessageParser.read() receives it. */
type MessageDetails = Map<string, { message: { explicitBufferAttributes?: unknown } }>;

class DecodedSearchEntry extends SearchEntry {
  constructor(
    messageId: number,
    private readonly decoded: DecodedEntry,
  ) {
    super({ messageId });
  }

  override toObject(): Entry {
    return this.decoded as unknown as Entry;
  }
}

class BerError extends Error {
  override name = 'InvalidAsn1Error';
}

const SEARCH_ENTRY = 0x64;

/**
 * Makes `client` decode the entries of marked searches itself (see the note at the top). Every other message,
 * and entries of searches not marked, go to ldapts' own parser unchanged, one whole message at a time.
 */
export function installEntryDecoder(client: Client): void {
  const parser = (client as unknown as { messageParser?: MessageParser }).messageParser;
  if (!parser || typeof parser.read !== 'function' || typeof parser.emit !== 'function') return;
  const ldaptsRead = parser.read.bind(parser);
  const ber = new BerCursor();
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let need = 0;
  // After bytes this module cannot frame, everything goes to ldapts as it came (it reports what is wrong).
  let passThrough = false;

  /** One whole message, buffer[from..to). */
  const handle = (buffer: Buffer, from: number, to: number, details: MessageDetails): void => {
    const id = ber.messageHead(buffer, from, to);
    const plan = id !== undefined && ber.op === SEARCH_ENTRY ? planOf(details, id) : undefined;
    if (id === undefined || !plan) {
      ldaptsRead(buffer.subarray(from, to), details as Parameters<MessageParser['read']>[1]);
      return;
    }
    let decoded: DecodedEntry;
    try {
      decoded = decodeEntry(ber, buffer, ber.start, ber.end, plan);
    } catch (error) {
      // As ldapts does with a message it cannot parse: the request it answers fails with the error.
      const failed = error as Error & { messageDetails?: { messageId: number; protocolOperation: number } };
      failed.messageDetails = { messageId: id, protocolOperation: SEARCH_ENTRY };
      parser.emit('error', failed);
      return;
    }
    parser.emit('message', new DecodedSearchEntry(id, decoded));
  };

  parser.read = (data, details) => {
    if (passThrough) return ldaptsRead(data, details);
    let buffer = data;
    if (pendingBytes > 0) {
      pending.push(data);
      pendingBytes += data.length;
      if (pendingBytes < need) return;
      buffer = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
    }
    let offset = 0;
    while (offset < buffer.length) {
      const length = ber.frameLength(buffer, offset);
      if (length === undefined) {
        passThrough = true;
        return ldaptsRead(buffer.subarray(offset), details);
      }
      if (length < 0 || offset + length > buffer.length) {
        // Wait for the rest of this message (its whole length when the header said it, else any more bytes).
        pending = [buffer.subarray(offset)];
        pendingBytes = buffer.length - offset;
        need = length < 0 ? 0 : length;
        return;
      }
      handle(buffer, offset, offset + length, details as unknown as MessageDetails);
      offset += length;
    }
  };
}

function planOf(details: MessageDetails, id: number): DecodePlan | undefined {
  const explicit = details.get(`${id}`)?.message.explicitBufferAttributes;
  return Array.isArray(explicit) ? plans.get(explicit) : undefined;
}

/**
 * Reads BER definite lengths and elements. Results land in fields instead of returned tuples: a 100,000-entry
 * search reads some five million elements, and a tuple each was a third of everything reading allocated.
 */
class BerCursor {
  /** The last length read, and the offset after it. */
  length = 0;
  next = 0;
  /** Content bounds of the last element read (or, after messageHead, of the protocol operation). */
  start = 0;
  end = 0;
  /** The protocol operation's tag, after messageHead. */
  op = 0;

  /** Reads a BER length at `at`; false when the buffer ends first. Throws on forms LDAP does not use. */
  readLength(buffer: Buffer, at: number, limit: number): boolean {
    if (at >= limit) return false;
    const first = buffer[at] as number;
    if (first < 0x80) {
      this.length = first;
      this.next = at + 1;
      return true;
    }
    const bytes = first & 0x7f;
    if (bytes === 0 || bytes > 4) throw new BerError(bytes === 0 ? 'Indefinite length not supported' : 'Encoding too long');
    if (at + 1 + bytes > limit) return false;
    let length = 0;
    for (let i = 1; i <= bytes; i += 1) length = length * 256 + (buffer[at + i] as number);
    this.length = length;
    this.next = at + 1 + bytes;
    return true;
  }

  /**
   * The whole length of the LDAPMessage starting at `offset`: -1 when its header is not complete yet, undefined
   * when the bytes are not a message at all.
   */
  frameLength(buffer: Buffer, offset: number): number | undefined {
    if (buffer[offset] !== 0x30) return undefined;
    try {
      if (!this.readLength(buffer, offset + 1, buffer.length)) return -1;
    } catch {
      return undefined;
    }
    return this.next - offset + this.length;
  }

  /** A whole message's id (its operation's tag in `op`, content in start..end), or undefined when it is not shaped as expected. */
  messageHead(buffer: Buffer, from: number, to: number): number | undefined {
    try {
      if (!this.readLength(buffer, from + 1, to) || buffer[this.next] !== 0x02) return undefined;
      if (!this.readLength(buffer, this.next + 1, to) || this.length < 1 || this.length > 4) return undefined;
      let id = 0;
      for (let i = 0; i < this.length; i += 1) id = id * 256 + (buffer[this.next + i] as number);
      const opAt = this.next + this.length;
      if (opAt >= to) return undefined;
      this.op = buffer[opAt] as number;
      if (!this.readLength(buffer, opAt + 1, to) || this.next + this.length > to) return undefined;
      this.start = this.next;
      this.end = this.next + this.length;
      return id;
    } catch {
      return undefined;
    }
  }

  /** Reads the element with `tag` at `at` into start..end; throws as ldapts' BerReader does when the tag differs or it overruns `limit`. */
  element(buffer: Buffer, at: number, limit: number, tag: number): void {
    if (at >= limit) throw new BerError('Unexpected end of the entry');
    if (buffer[at] !== tag) throw new BerError(`Expected 0x${tag.toString(16)}: got 0x${(buffer[at] as number).toString(16)}`);
    if (!this.readLength(buffer, at + 1, limit) || this.next + this.length > limit) throw new BerError('Element longer than the entry');
    this.start = this.next;
    this.end = this.next + this.length;
  }
}

/** Attribute names seen, lower-cased once (a realm's entries repeat the same dozen names). */
const lowerNames = new Map<string, string>();
const lowerName = (name: string): string => {
  let lower = lowerNames.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (lowerNames.size < 10_000) lowerNames.set(name, lower);
  }
  return lower;
};

/**
 * Decodes a SearchResultEntry's content (DN, then the attribute list; any controls after it are not read,
 * as ldapts' toObject() never looked at them) into an entry as normaliseEntry() made it.
 */
function decodeEntry(ber: BerCursor, buffer: Buffer, start: number, end: number, plan: DecodePlan): DecodedEntry {
  ber.element(buffer, start, end, 0x04);
  const dn = buffer.toString('utf8', ber.start, ber.end);
  const text: Record<string, string[]> = {};
  const binary: Record<string, Buffer[]> = {};
  ber.element(buffer, ber.end, end, 0x30);
  const listEnd = ber.end;
  for (let at = ber.start; at < listEnd;) {
    ber.element(buffer, at, listEnd, 0x30);
    const attrEnd = ber.end;
    at = attrEnd;
    ber.element(buffer, ber.start, attrEnd, 0x04);
    const key = lowerName(buffer.toString('utf8', ber.start, ber.end));
    const typeEnd = ber.end;
    const isBinary = plan.binary.has(key);
    let values: Array<string | Buffer> = [];
    // ldapts reads values only from a SET right after the type; an attribute without one has none.
    if (typeEnd < attrEnd && buffer[typeEnd] === 0x31) {
      ber.element(buffer, typeEnd, attrEnd, 0x31);
      const setStart = ber.start;
      const setEnd = ber.end;
      for (let v = setStart; v < setEnd; v = ber.end) {
        ber.element(buffer, v, setEnd, 0x04);
        const value = isBinary ? buffer.subarray(ber.start, ber.end) : buffer.toString('utf8', ber.start, ber.end);
        // Most attributes hold one value: a literal is sized for it, where push() would reserve room for 17.
        if (values.length === 0) values = [value];
        else values.push(value);
      }
      if (!isBinary) keepLdaptsBom(ber, buffer, setStart, setEnd, values as string[]);
    }
    if (isBinary) binary[key] = values as Buffer[];
    else text[key] = values as string[];
  }
  for (const name of plan.requested) {
    if (plan.binary.has(name)) binary[name] ??= [];
    else text[name] ??= [];
  }
  return new DecodedEntry(dn, text, binary);
}

/**
 * ldapts decoded values with a TextDecoder, which drops a leading byte order mark, and gave an attribute's
 * values as bytes (BOM kept, invalid sequences as U+FFFD once normaliseEntry decoded them) as soon as ONE
 * value was not valid UTF-8. Buffer#toString keeps the mark, so it is dropped here exactly when ldapts did.
 */
function keepLdaptsBom(ber: BerCursor, buffer: Buffer, setStart: number, setEnd: number, values: string[]): void {
  if (!values.some((v) => v.charCodeAt(0) === 0xfeff)) return;
  for (let v = setStart; v < setEnd; v = ber.end) {
    ber.element(buffer, v, setEnd, 0x04);
    if (!isUtf8(buffer.subarray(ber.start, ber.end))) return;
  }
  for (let i = 0; i < values.length; i += 1) if ((values[i] as string).charCodeAt(0) === 0xfeff) values[i] = (values[i] as string).slice(1);
}
