/**
 * A DN in a form two spellings of the same name share, for matching only (never sent to a server):
 * attribute types and values lower-cased, spaces around separators dropped, escapes (`\,` `\2C`) decoded
 * and re-escaped one canonical way. `CN=Adams\, Bob,OU=Staff` and `cn=adams\2c bob, ou=staff` agree.
 */
export function normalizeDn(dn: string): string {
  // Most DNs have no escapes, quotes or multi-valued RDNs: lower-case, split and trim is then the whole job.
  if (!/[\\+"#<>;]/.test(dn)) {
    const rdns = dn.toLowerCase().split(',');
    let simple = true;
    for (let i = 0; i < rdns.length && simple; i += 1) {
      const rdn = rdns[i] as string;
      const eq = rdn.indexOf('=');
      if (eq < 0 || rdn.indexOf('=', eq + 1) >= 0) simple = false;
      else rdns[i] = `${rdn.slice(0, eq).trim()}=${rdn.slice(eq + 1).trim()}`;
    }
    if (simple) return rdns.join(',');
  }
  return normalizeEscaped(dn);
}

function normalizeEscaped(dn: string): string {
  const rdns: string[] = [];
  let current = '';
  let bytes: number[] = [];
  const flushBytes = () => {
    if (bytes.length) current += Buffer.from(bytes).toString('utf8');
    bytes = [];
  };
  const parts: string[][] = [];
  let avas: string[] = [];
  const endAva = () => {
    flushBytes();
    const eq = current.indexOf('=');
    const type = (eq < 0 ? current : current.slice(0, eq)).trim().toLowerCase();
    const value =
      eq < 0
        ? ''
        : current
            .slice(eq + 1)
            .trim()
            .toLowerCase();
    avas.push(`${type}=${escapeValue(value)}`);
    current = '';
  };
  for (let i = 0; i < dn.length; i += 1) {
    const c = dn[i] as string;
    if (c === '\\' && i + 1 < dn.length) {
      const hex = dn.slice(i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        bytes.push(Number.parseInt(hex, 16));
        i += 2;
        continue;
      }
      flushBytes();
      // Mark escaped characters so a literal separator is not split on.
      current += `\u0000${dn[i + 1]}`;
      i += 1;
      continue;
    }
    flushBytes();
    if (c === ',' || c === ';') {
      endAva();
      parts.push(avas.sort());
      avas = [];
    } else if (c === '+') {
      endAva();
    } else {
      current += c;
    }
  }
  if (current.trim() !== '' || avas.length) {
    endAva();
    parts.push(avas.sort());
  }
  for (const ava of parts) rdns.push(ava.join('+'));
  return rdns.join(',');
}

/** Re-escapes a decoded value canonically: the RFC 4514 specials as `\XX`. */
function escapeValue(value: string): string {
  // eslint-disable-next-line no-control-regex -- the NUL marks a character that was escaped in the input
  return value.replace(/\u0000(.)/gsu, '$1').replace(/[,+"\\<>;=\u0000]|^[ #]|[ ]$/g, (ch) => `\\${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
