/**
 * A DN in a form two spellings of the same name share, for matching only (never sent to a server):
 * attribute types and values lower-cased, spaces around separators dropped, escapes (`\,` `\2C`) decoded
 * and re-escaped one canonical way. `CN=Adams\, Bob,OU=Staff` and `cn=adams\2c bob, ou=staff` agree.
 */
export function normalizeDn(dn: string): string {
  // Most DNs have no escapes, quotes or multi-valued RDNs: lower-case, split and trim is then the whole job.
  // eslint-disable-next-line no-control-regex -- a raw NUL takes the general path, which escapes it
  if (!/[\\+"#<>;\u0000]/.test(dn)) {
    const rdns = dn.toLowerCase().split(',');
    let simple = true;
    for (let i = 0; i < rdns.length && simple; i += 1) {
      const rdn = rdns[i] as string;
      const eq = rdn.indexOf('=');
      if (eq < 0 || rdn.indexOf('=', eq + 1) >= 0) simple = false;
      else rdns[i] = `${trimSpaces(rdn.slice(0, eq))}=${trimSpaces(rdn.slice(eq + 1))}`;
    }
    if (simple) return rdns.join(',');
  }
  return normalizeEscaped(dn);
}

/** Only U+0020 around a type or value is insignificant (RFC 4514); a tab or no-break space is part of it. */
const trimSpaces = (text: string): string => text.replace(/^ +| +$/g, '');

/**
 * The general path: decodes every escape (a backslash before a character, or hex pairs of UTF-8 bytes) into
 * the value itself, keeping track of which characters were escaped: an escaped space is significant where an
 * unescaped one at either end is not, and a decoded `,` `+` or NUL is part of the value, never a separator.
 */
function normalizeEscaped(dn: string): string {
  const rdns: string[][] = [];
  let avas: string[] = [];
  let type = '';
  let inValue = false;
  let value = '';
  // Unescaped spaces seen in a value, kept only if something follows them (trailing ones are insignificant).
  let spaces = '';
  let bytes: number[] = [];
  const flushBytes = () => {
    if (bytes.length === 0) return;
    value += spaces + Buffer.from(bytes).toString('utf8');
    spaces = '';
    bytes = [];
  };
  const endAva = () => {
    flushBytes();
    avas.push(`${trimSpaces(type).toLowerCase()}=${escapeValue(value.toLowerCase())}`);
    type = '';
    value = '';
    spaces = '';
    inValue = false;
  };
  for (let i = 0; i < dn.length; i += 1) {
    const c = dn[i] as string;
    if (c === '\\' && i + 1 < dn.length) {
      const pair = dn.slice(i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(pair)) {
        bytes.push(Number.parseInt(pair, 16));
        i += 2;
        continue;
      }
      flushBytes();
      const escaped = String.fromCodePoint(dn.codePointAt(i + 1) as number);
      if (inValue) {
        value += spaces + escaped;
        spaces = '';
      } else type += escaped;
      i += escaped.length;
      continue;
    }
    flushBytes();
    if (c === ',' || c === ';') {
      endAva();
      rdns.push(avas.sort());
      avas = [];
    } else if (c === '+') {
      endAva();
    } else if (!inValue) {
      if (c === '=') inValue = true;
      else type += c;
    } else if (c === ' ') {
      // Leading spaces are dropped; inner ones wait to see whether the value goes on.
      if (value !== '') spaces += c;
    } else {
      value += spaces + c;
      spaces = '';
    }
  }
  if (inValue || type.trim() !== '' || avas.length) {
    endAva();
    rdns.push(avas.sort());
  }
  return rdns.map((ava) => ava.join('+')).join(',');
}

/** Re-escapes a decoded value canonically: the RFC 4514 specials, NUL, and a leading `#` or space or trailing space as `\XX`. */
function escapeValue(value: string): string {
  // eslint-disable-next-line no-control-regex -- NUL must be escaped in a DN string
  return value.replace(/[,+"\\<>;=\u0000]|^[ #]|[ ]$/g, (ch) => `\\${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
