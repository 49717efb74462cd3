import { describe, expect, it } from 'vitest';
import { generateUsers, toLdif } from '../../../e2e/fixtures/ldif';
import { RosterError } from '#shared/result';
import { BINARY_ATTRIBUTES } from '../ldap/search';
import { parseLdif } from './parse';

const b64 = (text: string | Buffer) => (typeof text === 'string' ? Buffer.from(text, 'utf8') : text).toString('base64');
const GUID = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
const NAME_DN = 'CN=José Núñez,OU=Ventas,OU=Staff,DC=demo,DC=example';
const DISPLAY = 'José Núñez — Ventas y Marketing, Oficina de Sevilla (España)';

/** A file that exercises every rule at once, as bytes: CRLF, BOM, folds that split a character and base64. */
function trickyLdif(): Buffer {
  const display = b64(DISPLAY);
  const crlf = (lines: Array<string | Buffer>) =>
    Buffer.concat(lines.flatMap((l) => [typeof l === 'string' ? Buffer.from(l, 'utf8') : l, Buffer.from('\r\n')]));
  return Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]),
    crlf([
      '# Example Corp export for the parser test',
      '# a comment that is folded',
      '  onto a second line: it must stay a comment',
      'version: 1',
      '',
      `dn:: ${b64(NAME_DN)}`,
      'changetype: add',
      'objectClass: top',
      'objectClass: person',
      'objectClass: user',
      // "é" is C3 A9: the fold falls between its two bytes.
      Buffer.concat([Buffer.from('cn: Jos'), Buffer.from([0xc3])]),
      Buffer.concat([Buffer.from(' '), Buffer.from([0xa9]), Buffer.from(' Núñez')]),
      `displayName:: ${display.slice(0, 30)}`,
      ` ${display.slice(30, 61)}`,
      ` ${display.slice(61)}`,
      `objectGUID:: ${b64(GUID)}`,
      'userCertificate;binary:: AQID',
      'description: two trailing spaces  ',
      'mail:   jose.nunez@demo.example',
      '# a comment inside a record',
      'otherTelephone: +1 555 0100',
      'otherTelephone: 0014255550177',
      'OTHERtelephone: +1 555 0102',
      'jpegPhoto:< file:///etc/passwd',
      'empty:',
      '',
      '',
      'dn: CN=Someone,DC=demo,DC=example',
      'changetype: modify',
      'replace: mail',
      'mail: someone@demo.example',
      '-',
      '',
      'dn: CN=Gone,DC=demo,DC=example',
      'changetype: delete',
      '',
      'dn: CN=Moved,DC=demo,DC=example',
      'changetype: modrdn',
      'newrdn: CN=Moved2',
      'deleteoldrdn: 1',
      '',
    ]),
    // The last record uses LF endings and has no trailing newline at all.
    Buffer.from('dn: CN=Smith\\, John,OU=Sales,DC=demo,DC=example\nobjectClass: user\nsAMAccountName: jsmith'),
  ]);
}

describe('parseLdif', () => {
  it('parses a tricky file exactly', () => {
    const result = parseLdif(trickyLdif(), 'tricky.ldif');
    expect(result.skipped).toBe(3);
    expect(result.warnings).toEqual([
      'tricky.ldif line 24: the value of jpegPhoto refers to file:///etc/passwd; Roster does not read files an LDIF file points to, so this value was left out.',
    ]);
    expect(result.entries).toEqual([
      {
        dn: NAME_DN,
        text: {
          objectclass: ['top', 'person', 'user'],
          cn: ['José Núñez'],
          displayname: [DISPLAY],
          description: ['two trailing spaces  '],
          mail: ['jose.nunez@demo.example'],
          othertelephone: ['+1 555 0100', '0014255550177', '+1 555 0102'],
          empty: [''],
        },
        binary: { objectguid: [GUID], usercertificate: [Buffer.from([1, 2, 3])] },
      },
      {
        dn: 'CN=Smith\\, John,OU=Sales,DC=demo,DC=example',
        text: { objectclass: ['user'], samaccountname: ['jsmith'] },
        binary: {},
      },
    ]);
  });

  it('takes a string as well as bytes, and ldapsearch output with its result records', () => {
    const text = [
      '# extended LDIF',
      '#',
      '# LDAPv3',
      '# base <dc=example,dc=org> with scope subtree',
      '# filter: (uid=zangstrom)',
      '# requesting: ALL',
      '#',
      '',
      '# zangstrom, people, example.org',
      'dn: uid=zangstrom,ou=people,dc=example,dc=org',
      'cn:: Wm/DqyDDhW5nc3Ryw7Zt',
      'uid: zangstrom',
      '',
      '# search reference',
      'ref: ldap://other.example.org/dc=example,dc=org??sub',
      '',
      '# search result',
      'search: 2',
      'result: 0 Success',
      '',
      '# numResponses: 2',
      '# numEntries: 1',
      '',
    ].join('\n');
    const result = parseLdif(text);
    expect(result).toEqual({
      entries: [{ dn: 'uid=zangstrom,ou=people,dc=example,dc=org', text: { cn: ['Zoë Ångström'], uid: ['zangstrom'] }, binary: {} }],
      skipped: 0,
      warnings: [],
    });
  });

  it('keeps language and other options apart from the plain attribute, as a live search does; drops only ;binary', () => {
    const text = [
      'dn: uid=htanaka,ou=People,dc=lab,dc=example',
      'cn;lang-ja: 田中 浩',
      'sn;Lang-JA: 田中',
      'sn: Tanaka',
      'objectGUID;binary:: AQID',
    ].join('\n');
    expect(parseLdif(text).entries).toEqual([
      {
        dn: 'uid=htanaka,ou=People,dc=lab,dc=example',
        text: { 'cn;lang-ja': ['田中 浩'], 'sn;lang-ja': ['田中'], sn: ['Tanaka'] },
        binary: { objectguid: [Buffer.from([1, 2, 3])] },
      },
    ]);
  });

  it('reads an entry with only a DN, blank lines holding spaces, and several blank lines in a row', () => {
    const result = parseLdif('\n\ndn: cn=a,dc=x\n   \n\n\ndn: cn=b,dc=x\ncn: b\n  \t\n');
    expect(result.entries).toEqual([
      { dn: 'cn=a,dc=x', text: {}, binary: {} },
      { dn: 'cn=b,dc=x', text: { cn: ['b'] }, binary: {} },
    ]);
  });

  it('keeps at most 100 warnings and says how many more there were', () => {
    const records = Array.from({ length: 105 }, (_, i) => `dn: cn=u${i},dc=x\njpegPhoto:< file:///tmp/${i}.jpg\n`).join('\n');
    const { warnings, entries } = parseLdif(records);
    expect(entries).toHaveLength(105);
    expect(warnings).toHaveLength(101);
    expect(warnings[100]).toBe('the LDIF file: 5 more warnings like the ones above were left out.');
  });

  const malformed: Array<[string, string, RegExp]> = [
    [
      'a line without a colon',
      'dn: cn=a,dc=x\ncn a\n',
      /^t\.ldif line 2: "cn a" is not an "attribute: value" line \(there is no colon\)\. If it continues the line above, start it with one space\.$/,
    ],
    [
      'base64 garbage',
      'dn: cn=a,dc=x\ncn:: not*base64!\n',
      /^t\.ldif line 2: the value of cn after "::" is not valid base64 \("not\*base64!"\)\. Export the file again/,
    ],
    [
      'folded base64 garbage (line of the attribute)',
      '# c\r\ndn: cn=a,dc=x\r\ncn: ok\r\nphoto:: AAAA\r\n AA$A\r\n',
      /^t\.ldif line 4: the value of photo after "::" is not valid base64/,
    ],
    ['base64 of impossible length', 'dn: cn=a,dc=x\ncn:: QUJDR\n', /^t\.ldif line 2: the value of cn after "::" is not valid base64/],
    [
      'a continuation line at the start',
      ' cn: a\ndn: cn=a,dc=x\n',
      /^t\.ldif line 1: this line starts with a space, which continues the line above, but there is no line above it in this record\. Remove the leading space, or the blank line above it\.$/,
    ],
    ['a continuation line after a blank line', 'dn: cn=a,dc=x\ncn: a\n\n more\n', /^t\.ldif line 4: this line starts with a space/],
    [
      'an attribute before the dn',
      '# header\ncn: a\ndn: cn=a,dc=x\n',
      /^t\.ldif line 2: the record starts with "cn:" but every record must start with "dn:"\. Add the dn line, or remove the blank line that splits this record from the one above\.$/,
    ],
    ['a record split by a stray blank line', 'dn: cn=a,dc=x\ncn: a\n\nsn: b\n', /^t\.ldif line 4: the record starts with "sn:"/],
    ['a bad attribute name', 'dn: cn=a,dc=x\nc n: a\n', /^t\.ldif line 2: "c n" is not an attribute name\./],
    ['an empty attribute name', 'dn: cn=a,dc=x\n: a\n', /^t\.ldif line 2: "" is not an attribute name\./],
    ['an unsupported version', 'version: 2\ndn: cn=a,dc=x\n', /^t\.ldif line 1: LDIF version "2" is not supported; Roster reads version 1 \(RFC 2849\)\.$/],
    [
      'an unknown changetype',
      'dn: cn=a,dc=x\nchangetype: upsert\n',
      /^t\.ldif line 2: changetype "upsert" is not one of add, modify, delete, modrdn, moddn\.$/,
    ],
    [
      'two dn lines in one record',
      'dn: cn=a,dc=x\ncn: a\ndn: cn=b,dc=x\n',
      /^t\.ldif line 3: a second "dn:" in one record\. Records are separated by a blank line; add one above this line\.$/,
    ],
    ['a DN given by URL', 'dn:< file:///x\n', /^t\.ldif line 1: a DN cannot be given by URL/],
    ['an error after folded lines counts physical lines', 'dn: cn=a,\n dc=x\ndescription: one\n  two\n  three\nbroken\n', /^t\.ldif line 6: "broken"/],
  ];
  it.each(malformed)('refuses %s with the physical line number', (_, text, message) => {
    let error: unknown;
    try {
      parseLdif(text, 't.ldif');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RosterError);
    expect((error as RosterError).code).toBe('invalid-input');
    expect((error as RosterError).message).toMatch(message);
  });

  it.each(['openldap', 'ad'] as const)('reads back what e2e/fixtures/ldif.ts writes (%s)', (flavor) => {
    const users = generateUsers(60, flavor, flavor === 'ad' ? 'OU=Staff,DC=corp,DC=example' : 'ou=people,dc=example,dc=org');
    // A long value makes toLdif fold plain text as well as base64.
    users[3]!.attributes.description = 'x'.repeat(200);
    const { entries, skipped, warnings } = parseLdif(toLdif(users));
    expect({ skipped, warnings }).toEqual({ skipped: 0, warnings: [] });
    const binary = new Set(BINARY_ATTRIBUTES.map((a) => a.toLowerCase()));
    const expected = users.map((user) => {
      const text: Record<string, string[]> = {};
      const bytes: Record<string, Buffer[]> = {};
      for (const [name, raw] of Object.entries(user.attributes)) {
        const values = Array.isArray(raw) ? raw : [raw];
        if (binary.has(name.toLowerCase())) bytes[name.toLowerCase()] = values.map((v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)));
        else text[name.toLowerCase()] = values.map(String);
      }
      return { dn: user.dn, text, binary: bytes };
    });
    expect(entries).toEqual(expected);
    expect(entries[0]?.text.cn).toEqual(['Zoë Ångström']);
  });

  it('parses 50,000 entries in time linear in the file size', () => {
    const ldif = toLdif(generateUsers(50_000, 'ad', 'OU=Staff,DC=corp,DC=example'));
    const half = ldif.slice(0, ldif.indexOf('\n\ndn:', ldif.length / 2) + 1);
    const time = (text: string) => {
      const started = performance.now();
      const count = parseLdif(text).entries.length;
      return { count, ms: performance.now() - started };
    };
    const small = time(half);
    const large = time(ldif);
    expect(large.count).toBe(50_000);
    expect(small.count).toBeGreaterThan(24_000);
    console.info(
      `parseLdif: ${small.count} entries in ${small.ms.toFixed(0)} ms, ${large.count} entries (${(ldif.length / 1e6).toFixed(1)} MB) in ${large.ms.toFixed(0)} ms`,
    );
  });

  it('joins a value folded into thousands of lines without quadratic copying', () => {
    const photo = Buffer.alloc(600_000, 7);
    const { entries } = parseLdif(toLdif([{ dn: 'cn=p,dc=x', attributes: { jpegPhoto: photo, cn: 'p' } }]));
    expect(entries[0]?.binary.jpegphoto?.[0]?.equals(photo)).toBe(true);
  });
});
