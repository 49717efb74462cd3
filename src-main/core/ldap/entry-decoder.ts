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
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let need = 0;
  // After bytes this module cannot frame, everything goes to ldapts as it came (it reports what is wrong).
  let passThrough = false;

  const handle = (message: Buffer, details: MessageDetails): void => {
    const head = messageHead(message);
    const plan = head?.op === SEARCH_ENTRY ? planOf(details, head.id) : undefined;
    if (!head || !plan) {
      ldaptsRead(message, details as Parameters<MessageParser['read']>[1]);
      return;
    }
    let decoded: DecodedEntry;
    try {
      decoded = decodeEntry(message, head.opStart, head.opEnd, plan);
    } catch (error) {
      // As ldapts does with a message it cannot parse: the request it answers fails with the error.
      const failed = error as Error & { messageDetails?: { messageId: number; protocolOperation: number } };
      failed.messageDetails = { messageId: head.id, protocolOperation: SEARCH_ENTRY };
      parser.emit('error', failed);
      return;
    }
    parser.emit('message', new DecodedSearchEntry(head.id, decoded));
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
      const length = frameLength(buffer, offset);
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
      handle(buffer.subarray(offset, offset + length), details as unknown as MessageDetails);
      offset += length;
    }
  };
}

function planOf(details: MessageDetails, id: number): DecodePlan | undefined {
  const explicit = details.get(`${id}`)?.message.explicitBufferAttributes;
  return Array.isArray(explicit) ? plans.get(explicit) : undefined;
}

/** Reads a BER length at `at`: [length, offset after it], or undefined when the buffer ends first. */
function readLength(buffer: Buffer, at: number): [number, number] | undefined {
  if (at >= buffer.length) return undefined;
  const first = buffer[at] as number;
  if (first < 0x80) return [first, at + 1];
  const bytes = first & 0x7f;
  if (bytes === 0 || bytes > 4) throw new BerError(bytes === 0 ? 'Indefinite length not supported' : 'Encoding too long');
  if (at + 1 + bytes > buffer.length) return undefined;
  let length = 0;
  for (let i = 1; i <= bytes; i += 1) length = length * 256 + (buffer[at + i] as number);
  return [length, at + 1 + bytes];
}

/**
 * The whole length of the LDAPMessage starting at `offset`: -1 when its header is not complete yet, undefined
 * when the bytes are not a message at all.
 */
function frameLength(buffer: Buffer, offset: number): number | undefined {
  if (buffer[offset] !== 0x30) return undefined;
  let length: [number, number] | undefined;
  try {
    length = readLength(buffer, offset + 1);
  } catch {
    return undefined;
  }
  if (!length) return -1;
  return length[1] - offset + length[0];
}

/** A whole message's id and where its protocol operation's content lies, or undefined when it is not shaped as expected. */
function messageHead(message: Buffer): { id: number; op: number; opStart: number; opEnd: number } | undefined {
  try {
    const outer = readLength(message, 1);
    if (!outer || message[outer[1]] !== 0x02) return undefined;
    const idLength = readLength(message, outer[1] + 1);
    if (!idLength || idLength[0] < 1 || idLength[0] > 4) return undefined;
    let id = 0;
    for (let i = 0; i < idLength[0]; i += 1) id = id * 256 + (message[idLength[1] + i] as number);
    const opAt = idLength[1] + idLength[0];
    const op = message[opAt];
    if (op === undefined) return undefined;
    const opLength = readLength(message, opAt + 1);
    if (!opLength || opLength[1] + opLength[0] > message.length) return undefined;
    return { id, op, opStart: opLength[1], opEnd: opLength[1] + opLength[0] };
  } catch {
    return undefined;
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

/** The content bounds of the element with `tag` at `at`; throws as ldapts' BerReader does when the tag differs or it overruns. */
function element(buffer: Buffer, at: number, end: number, tag: number): [number, number] {
  if (at >= end) throw new BerError('Unexpected end of the entry');
  if (buffer[at] !== tag) throw new BerError(`Expected 0x${tag.toString(16)}: got 0x${(buffer[at] as number).toString(16)}`);
  const length = readLength(buffer, at + 1);
  if (!length || length[1] + length[0] > end) throw new BerError('Element longer than the entry');
  return [length[1], length[1] + length[0]];
}

/**
 * Decodes a SearchResultEntry's content (DN, then the attribute list; any controls after it are not read,
 * as ldapts' toObject() never looked at them) into an entry as normaliseEntry() made it.
 */
function decodeEntry(buffer: Buffer, start: number, end: number, plan: DecodePlan): DecodedEntry {
  const [dnStart, dnEnd] = element(buffer, start, end, 0x04);
  const dn = buffer.toString('utf8', dnStart, dnEnd);
  const text: Record<string, string[]> = {};
  const binary: Record<string, Buffer[]> = {};
  const [listStart, listEnd] = element(buffer, dnEnd, end, 0x30);
  for (let at = listStart; at < listEnd;) {
    const [attrStart, attrEnd] = element(buffer, at, listEnd, 0x30);
    at = attrEnd;
    const [typeStart, typeEnd] = element(buffer, attrStart, attrEnd, 0x04);
    const key = lowerName(buffer.toString('utf8', typeStart, typeEnd));
    const isBinary = plan.binary.has(key);
    const bytes: Buffer[] = [];
    const values: string[] = [];
    // ldapts reads values only from a SET right after the type; an attribute without one has none.
    if (typeEnd < attrEnd && buffer[typeEnd] === 0x31) {
      const [setStart, setEnd] = element(buffer, typeEnd, attrEnd, 0x31);
      for (let v = setStart; v < setEnd;) {
        const [valueStart, valueEnd] = element(buffer, v, setEnd, 0x04);
        v = valueEnd;
        if (isBinary) bytes.push(buffer.subarray(valueStart, valueEnd));
        else values.push(buffer.toString('utf8', valueStart, valueEnd));
      }
      if (!isBinary) keepLdaptsBom(buffer, setStart, setEnd, values);
    }
    if (isBinary) binary[key] = bytes;
    else text[key] = values;
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
function keepLdaptsBom(buffer: Buffer, setStart: number, setEnd: number, values: string[]): void {
  if (!values.some((v) => v.charCodeAt(0) === 0xfeff)) return;
  for (let v = setStart; v < setEnd;) {
    const [valueStart, valueEnd] = element(buffer, v, setEnd, 0x04);
    v = valueEnd;
    if (!isUtf8(buffer.subarray(valueStart, valueEnd))) return;
  }
  for (let i = 0; i < values.length; i += 1) if ((values[i] as string).charCodeAt(0) === 0xfeff) values[i] = (values[i] as string).slice(1);
}
