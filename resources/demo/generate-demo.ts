/**
 * Writes resources/demo/directory.ldif: an ldifde-style export of the fictional Active Directory domain
 * demo.example ("Example Corp") that "Try with demo data" reads offline. Deterministic: the same bytes on every
 * run, so the committed file can be checked against this script. Run: npx tsx resources/demo/generate-demo.ts
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BASE = 'DC=demo,DC=example';
const DOMAIN = 'demo.example';
const DOMAIN_SID = [21, 3_623_811_015, 3_361_044_348, 30_300_820];
const CRLF = '\r\n';
// ldifde's line width: longer lines go on in continuation lines that start with one space.
const WIDTH = 78;

/** What the generated directory holds, for tests to check the file against. */
export interface DemoStats {
  /** Entries the ldif-file preset filter selects: objectClass user and not computer. */
  users: number;
  /** Of those, how many have the ACCOUNTDISABLE bit (2) in userAccountControl. */
  disabled: number;
  computers: number;
  groups: number;
  contacts: number;
  organizationalUnits: number;
}

type Value = string | Buffer;
type Attributes = Array<[string, Value | Value[] | undefined]>;

// mulberry32: small, fast and the same everywhere.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const SEED = 20_240_101;
// Module state, reset by buildDemoDirectory so every call makes the same file.
let random = prng(SEED);
const chance = (p: number): boolean => random() < p;
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');

// ldifde base64-encodes values that are not plain ASCII or that start with a space, ':' or '<'.
const needsBase64 = (value: string): boolean => /[^\x20-\x7e]|^[ :<]| $/.test(value);

function fold(line: string): string {
  if (line.length <= WIDTH) return line;
  const parts = [line.slice(0, WIDTH)];
  for (let i = WIDTH; i < line.length; i += WIDTH - 1) parts.push(` ${line.slice(i, i + WIDTH - 1)}`);
  return parts.join(CRLF);
}

function attributeLine(name: string, value: Value): string {
  if (Buffer.isBuffer(value)) return fold(`${name}:: ${value.toString('base64')}`);
  return fold(needsBase64(value) ? `${name}:: ${Buffer.from(value, 'utf8').toString('base64')}` : `${name}: ${value}`);
}

function record(dn: string, attributes: Attributes): string {
  const lines = [attributeLine('dn', dn), 'changetype: add'];
  for (const [name, raw] of attributes) {
    if (raw === undefined) continue;
    for (const value of Array.isArray(raw) ? raw : [raw]) lines.push(attributeLine(name, value));
  }
  return lines.join(CRLF) + CRLF;
}

const escapeRdn = (value: string): string => value.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`).replace(/^#/, '\\#');

/** A GUID's 16 wire bytes, random but version 4 like the ones Active Directory makes. */
function objectGuid(): Buffer {
  const bytes = Buffer.from(Array.from({ length: 16 }, () => Math.floor(random() * 256)));
  // The third group is little-endian on the wire, so its high byte (the version nibble) is byte 7.
  bytes[7] = ((bytes[7] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  return bytes;
}

/** S-1-5-21-…-rid in AD's binary layout (the domain's own SID without a rid). */
function objectSid(rid?: number): Buffer {
  const subs = rid === undefined ? DOMAIN_SID : [...DOMAIN_SID, rid];
  const sid = Buffer.alloc(8 + 4 * subs.length);
  sid[0] = 1;
  sid[1] = subs.length;
  sid.writeUIntBE(5, 2, 6);
  subs.forEach((sub, i) => sid.writeUInt32LE(sub, 8 + 4 * i));
  return sid;
}

const FILETIME_EPOCH_MS = 11_644_473_600_000n;
const filetime = (iso: string): string => ((BigInt(Date.parse(iso)) + FILETIME_EPOCH_MS) * 10_000n).toString();
const NEVER = '9223372036854775807';
const generalizedTime = (ms: number): string => `${new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14)}.0Z`;
const CREATED_FROM = Date.UTC(2019, 0, 7, 8, 0, 0);
let clock = CREATED_FROM;
let usn = 12_000;
/** whenCreated/whenChanged and the USNs, moving forward a little with every object as AD's would. */
function stamps(): Attributes {
  clock += Math.floor(random() * 3 * 86_400_000);
  usn += 1 + Math.floor(random() * 40);
  const changed = Math.min(clock + Math.floor(random() * 900 * 86_400_000), Date.UTC(2024, 10, 28, 17, 0, 0));
  return [
    ['whenCreated', generalizedTime(clock)],
    ['whenChanged', generalizedTime(changed)],
    ['uSNCreated', String(usn)],
    ['uSNChanged', String(usn + 5_000 + Math.floor(random() * 20_000))],
  ];
}

const category = (name: string): string => `CN=${name},CN=Schema,CN=Configuration,${BASE}`;

interface Person {
  given: string;
  sn: string;
  /** ASCII spelling for the account name and mail address. */
  ascii?: [string, string];
  /** An RDN other than "given sn" (e.g. "Smith, John", which needs an escaped comma). */
  cn?: string;
}

// People every demo should show: non-ASCII names ldifde writes in base64, and a CN with a comma.
const NOTABLE: Array<Person & { ou: string; title?: string; director?: boolean }> = [
  { given: 'José', sn: 'Núñez', ascii: ['Jose', 'Nunez'], ou: 'OU=EMEA,OU=Sales', title: 'Account Executive' },
  { given: 'Zoë', sn: 'Ångström', ascii: ['Zoe', 'Angstrom'], ou: 'OU=Engineering', title: 'Senior Engineer' },
  { given: 'Łukasz', sn: 'Żółć', ascii: ['Lukasz', 'Zolc'], ou: 'OU=Platform,OU=Engineering', title: 'Site Reliability Engineer' },
  { given: '伟', sn: '王', ascii: ['Wei', 'Wang'], cn: '王伟', ou: 'OU=Support', title: 'Support Engineer' },
  { given: 'John', sn: 'Smith', cn: 'Smith, John', ou: 'OU=Finance', title: 'Director of Finance', director: true },
  { given: 'Siobhán', sn: "O'Connor", ascii: ['Siobhan', 'OConnor'], ou: 'OU=Marketing', title: 'Brand Manager' },
  { given: 'François', sn: 'Lefèvre', ascii: ['Francois', 'Lefevre'], ou: 'OU=EMEA,OU=Sales' },
  { given: 'Mai', sn: 'Nguyễn', ascii: ['Mai', 'Nguyen'], cn: 'Nguyễn Thị Mai', ou: 'OU=Human Resources', title: 'HR Business Partner' },
  { given: 'Ólafur', sn: 'Jóhannsson', ascii: ['Olafur', 'Johannsson'], ou: 'OU=Operations' },
  { given: 'Jürgen', sn: 'Müller', ascii: ['Juergen', 'Mueller'], ou: 'OU=EMEA,OU=Sales', title: 'Regional Sales Director', director: true },
];

const FIRST = (
  'Aaliyah Adrian Aisha Alejandro Amara Andre Anika Arjun Beatriz Benjamin Bianca Camila Carlos Chloe Daniel Deepa ' +
  'Diego Elena Emeka Emily Ethan Fatima Gabriel Grace Hannah Hiroshi Ines Isaac Ivan Jasmine Javier Kai Kate Kenji ' +
  'Laila Leon Lucas Maya Mateo Mei Mohammed Nadia Naomi Noah Olivia Omar Priya Rafael Ravi Rosa Samuel Sara Sofia ' +
  'Tariq Thomas Uma Victor Yara Yusuf Zara'
).split(' ');
const LAST = (
  'Abbott Acosta Adeyemi Bailey Banerjee Becker Brooks Castillo Chen Cohen Dang Diaz Dubois Edwards Eriksen Fischer ' +
  'Flores Foster Garcia Gupta Hansen Harris Hughes Ibrahim Ito Jensen Kim Kowalski Larsen Lopez Mahmoud Martin Mendes ' +
  'Morales Murphy Nakamura Novak Okafor Park Patel Perez Petrov Quinn Ramos Reyes Rossi Santos Schmidt Singh Suzuki ' +
  'Tanaka Torres Varga Walsh Weber Wright Yamamoto Young Zhou'
).split(' ');

interface Department {
  ou: string;
  name: string | undefined;
  size: number;
  office: string[];
  phone: () => string;
  titles: string[];
  directorTitle: string;
}
const us = () => (chance(0.15) ? `001425555${digits(4)}` : `+1 425 555 ${digits(4)}`);
const uk = () => `+44 20 7946 ${digits(4)}`;
const es = () => `+34 91 555 ${digits(2)} ${digits(2)}`;
const DEPARTMENTS: Department[] = [
  { ou: 'OU=Americas,OU=Sales', name: 'Sales', size: 38, office: ['Seattle HQ', 'Austin'], phone: us, titles: ['Account Executive', 'Sales Development Representative', 'Account Manager'], directorTitle: 'VP of Sales' },
  { ou: 'OU=EMEA,OU=Sales', name: 'Sales', size: 26, office: ['London', 'Madrid'], phone: () => (chance(0.5) ? uk() : es()), titles: ['Account Executive', 'Account Manager'], directorTitle: 'Regional Sales Director' },
  { ou: 'OU=Engineering', name: 'Engineering', size: 52, office: ['Seattle HQ', 'Remote'], phone: us, titles: ['Software Engineer', 'Senior Engineer', 'Staff Engineer', 'Engineering Manager', 'QA Engineer'], directorTitle: 'VP of Engineering' },
  { ou: 'OU=Platform,OU=Engineering', name: 'Engineering', size: 24, office: ['Seattle HQ', 'Remote'], phone: us, titles: ['Site Reliability Engineer', 'Platform Engineer', 'Senior Engineer'], directorTitle: 'Head of Platform' },
  { ou: 'OU=Marketing', name: 'Marketing', size: 26, office: ['Seattle HQ', 'London'], phone: us, titles: ['Marketing Specialist', 'Content Strategist', 'Brand Manager', 'Designer'], directorTitle: 'CMO' },
  { ou: 'OU=Finance', name: 'Finance', size: 22, office: ['Seattle HQ'], phone: us, titles: ['Accountant', 'Financial Analyst', 'Controller', 'Payroll Specialist'], directorTitle: 'Director of Finance' },
  { ou: 'OU=Human Resources', name: 'Human Resources', size: 16, office: ['Seattle HQ', 'Madrid'], phone: us, titles: ['Recruiter', 'HR Generalist', 'HR Business Partner'], directorTitle: 'Head of People' },
  { ou: 'OU=Support', name: 'Customer Support', size: 44, office: ['Austin', 'Madrid', 'Remote'], phone: us, titles: ['Support Engineer', 'Support Specialist', 'Support Team Lead'], directorTitle: 'Director of Support' },
  { ou: 'OU=Operations', name: 'Operations', size: 22, office: ['Seattle HQ', 'Austin'], phone: us, titles: ['Facilities Coordinator', 'IT Technician', 'Office Manager', 'Systems Administrator'], directorTitle: 'COO' },
  { ou: 'OU=Legal', name: 'Legal', size: 8, office: ['Seattle HQ'], phone: us, titles: ['Counsel', 'Paralegal', 'Contracts Manager'], directorTitle: 'General Counsel' },
  // New starters not yet placed in a department: every one lacks department and title.
  { ou: 'OU=New Hires', name: undefined, size: 8, office: ['Seattle HQ'], phone: us, titles: [], directorTitle: '' },
];
const ORGANIZATIONAL_UNITS = [
  'OU=Staff',
  'OU=Sales,OU=Staff',
  ...DEPARTMENTS.map((d) => `${d.ou},OU=Staff`),
  'OU=Former Employees',
  'OU=Domain Controllers',
  'OU=Service Accounts',
  'OU=Groups',
  'OU=External Contacts',
];

interface Built {
  dn: string;
  sam: string;
  record: () => string;
}

/** The demo directory's LDIF text and what it holds. */
export function buildDemoDirectory(): { ldif: string; stats: DemoStats } {
  random = prng(SEED);
  clock = CREATED_FROM;
  usn = 12_000;
  const stats: DemoStats = { users: 0, disabled: 0, computers: 0, groups: 0, contacts: 0, organizationalUnits: 0 };
  const records: string[] = [];
  let rid = 1_103;
  const usedNames = new Set<string>();
  const usedSams = new Set<string>();
  const members = new Map<string, string[]>();
  const addMember = (group: string, dn: string) => members.set(group, [...(members.get(group) ?? []), dn]);

  records.push(
    record(BASE, [
      ['objectClass', ['top', 'domain', 'domainDNS']],
      ['distinguishedName', BASE],
      ['instanceType', '5'],
      ...stamps(),
      ['name', 'demo'],
      ['objectGUID', objectGuid()],
      ['objectSid', objectSid()],
      ['objectCategory', category('Domain-DNS')],
      ['dc', 'demo'],
    ]),
  );
  for (const ou of ORGANIZATIONAL_UNITS) {
    const dn = `${ou},${BASE}`;
    const name = /^OU=([^,]+)/.exec(ou)?.[1] ?? ou;
    records.push(record(dn, [['objectClass', ['top', 'organizationalUnit']], ['ou', name], ['distinguishedName', dn], ['instanceType', '4'], ...stamps(), ['name', name], ['objectGUID', objectGuid()], ['objectCategory', category('Organizational-Unit')]]));
    stats.organizationalUnits += 1;
  }
  for (const container of ['Users', 'Computers']) {
    const dn = `CN=${container},${BASE}`;
    records.push(record(dn, [['objectClass', ['top', 'container']], ['cn', container], ['distinguishedName', dn], ['instanceType', '4'], ...stamps(), ['name', container], ['objectGUID', objectGuid()], ['objectCategory', category('Container')]]));
  }

  /** A user account as ldifde exports it; undefined attributes are simply absent. */
  const user = (o: {
    container: string;
    person: Person;
    /** Built-in and service accounts have names of their own. */
    sam?: string;
    uac: string;
    rid?: number;
    department?: string;
    title?: string;
    office?: string;
    phone?: string;
    mobile?: string;
    otherTelephone?: string[];
    mail?: boolean;
    manager?: string;
    employeeId?: string;
    accountExpires?: string;
    company?: string;
    description?: string;
    info?: string;
  }): Built => {
    const [asciiGiven, asciiSn] = o.person.ascii ?? [o.person.given, o.person.sn];
    let sam = o.sam ?? `${asciiGiven[0]}${asciiSn}`.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 20);
    for (let n = 2; usedSams.has(sam); n += 1) sam = `${sam.replace(/\d+$/, '')}${n}`;
    usedSams.add(sam);
    const cn = o.person.cn ?? `${o.person.given} ${o.person.sn}`;
    const dn = `CN=${escapeRdn(cn)},${o.container}`;
    const mail = o.mail === false ? undefined : `${asciiGiven}.${asciiSn}@${DOMAIN}`.toLowerCase().replace(/[^a-z0-9.@]/g, '');
    const disabled = (Number(o.uac) & 2) !== 0;
    stats.users += 1;
    if (disabled) stats.disabled += 1;
    const id = o.rid ?? rid++;
    return {
      dn,
      sam,
      record: () =>
        record(dn, [
          ['objectClass', ['top', 'person', 'organizationalPerson', 'user']],
          ['cn', cn],
          ['sn', o.person.sn || undefined],
          ['title', o.title],
          ['description', o.description],
          ['physicalDeliveryOfficeName', o.office],
          ['telephoneNumber', o.phone],
          ['otherTelephone', o.otherTelephone],
          ['givenName', o.person.given || undefined],
          ['distinguishedName', dn],
          ['instanceType', '4'],
          ...stamps(),
          ['info', o.info],
          ['displayName', cn],
          ['department', o.department],
          ['company', o.company],
          ['proxyAddresses', mail ? [`SMTP:${mail}`, `smtp:${sam}@${DOMAIN}`] : undefined],
          ['name', cn],
          ['objectGUID', objectGuid()],
          ['userAccountControl', o.uac],
          ['employeeID', o.employeeId],
          ['primaryGroupID', '513'],
          ['objectSid', objectSid(id)],
          ['accountExpires', o.accountExpires ?? (chance(0.5) ? '0' : NEVER)],
          ['sAMAccountName', sam],
          ['sAMAccountType', '805306368'],
          ['userPrincipalName', `${sam}@${DOMAIN}`],
          ['objectCategory', category('Person')],
          ['mail', mail],
          ['manager', o.manager],
          ['mobile', o.mobile],
        ]),
    };
  };

  const people: Built[] = [];
  const adminDn = `CN=Administrator,CN=Users,${BASE}`;
  people.push(user({ container: `CN=Users,${BASE}`, person: { given: '', sn: '', cn: 'Administrator' }, sam: 'Administrator', uac: '66048', rid: 500, mail: false, description: 'Built-in account for administering the computer/domain', accountExpires: '0' }));
  people.push(user({ container: `CN=Users,${BASE}`, person: { given: '', sn: '', cn: 'Guest' }, sam: 'Guest', uac: '66082', rid: 501, mail: false, description: 'Built-in account for guest access to the computer/domain', accountExpires: NEVER }));
  addMember('Domain Admins', adminDn);

  // The CEO heads the company; each department's director reports to the CEO.
  const ceo = user({ container: `OU=Staff,${BASE}`, person: { given: 'Margaret', sn: 'Holloway' }, uac: '512', title: 'Chief Executive Officer', department: 'Executive', company: 'Example Corp', office: 'Seattle HQ', phone: '+1 425 555 0100', mobile: '+1 206 555 0142', employeeId: '000001' });
  people.push(ceo);
  let employee = 1;
  const nextEmployeeId = () => String((employee += 1 + Math.floor(random() * 37))).padStart(6, '0');

  const newName = (): Person => {
    for (;;) {
      const person = { given: pick(FIRST), sn: pick(LAST) };
      const key = `${person.given} ${person.sn}`;
      if (!usedNames.has(key)) {
        usedNames.add(key);
        return person;
      }
    }
  };
  for (const n of NOTABLE) usedNames.add(`${n.given} ${n.sn}`);

  for (const department of DEPARTMENTS) {
    const container = `${department.ou},OU=Staff,${BASE}`;
    const notable = NOTABLE.filter((n) => n.ou === department.ou);
    const chief = notable.find((n) => n.director);
    const others = notable.filter((n) => !n.director);
    // The director comes first so everyone after can report to them.
    const headed = department.name !== undefined;
    let director: Built | undefined;
    for (let i = 0; i < department.size; i += 1) {
      const isDirector = headed && i === 0;
      const special = isDirector ? chief : others[i - (headed ? 1 : 0)];
      const person = special ?? newName();
      const phone = department.name === undefined ? undefined : chance(0.85) ? department.phone() : undefined;
      const built = user({
        container,
        person,
        // 8% disabled; some accounts never expire their password (66048), as admins set for people on leave.
        uac: chance(0.08) ? '514' : chance(0.06) ? '66048' : '512',
        // Some people lack a department or title: the completions an admin makes in Roster.
        department: department.name !== undefined && chance(0.9) ? department.name : undefined,
        title: isDirector ? department.directorTitle : (special?.title ?? (department.titles.length && chance(0.88) ? pick(department.titles) : undefined)),
        office: chance(0.93) ? pick(department.office) : undefined,
        phone,
        mobile: chance(0.15) ? `+1 206 555 ${digits(4)}` : undefined,
        otherTelephone: phone && chance(0.05) ? [department.phone(), department.phone()] : undefined,
        mail: chance(0.95),
        manager: isDirector ? ceo.dn : director && chance(0.85) ? director.dn : undefined,
        employeeId: chance(0.92) ? nextEmployeeId() : undefined,
        // Contractors: a few accounts expire, some already have.
        accountExpires: chance(0.04) ? filetime(pick(['2023-06-30T00:00:00Z', '2024-03-31T00:00:00Z', '2026-12-31T00:00:00Z', '2027-06-30T00:00:00Z'])) : undefined,
        company: chance(0.96) ? 'Example Corp' : undefined,
        info: chance(0.03)
          ? 'Works a compressed schedule (Monday to Thursday); for urgent matters outside those days contact the department manager or the Example Corp service desk on extension 4357.'
          : undefined,
      });
      if (isDirector) director = built;
      people.push(built);
      if (department.name) addMember(`${department.name} Team`, built.dn);
    }
  }

  // Leavers are kept disabled for a while, with their last department and title.
  for (let i = 0; i < 10; i += 1) {
    const department = pick(DEPARTMENTS.filter((d) => d.name !== undefined));
    people.push(
      user({
        container: `OU=Former Employees,${BASE}`,
        person: newName(),
        uac: chance(0.2) ? '66050' : '514',
        department: department.name,
        title: pick(department.titles),
        mail: chance(0.5),
        employeeId: nextEmployeeId(),
        accountExpires: filetime(pick(['2023-01-31T00:00:00Z', '2023-09-15T00:00:00Z', '2024-05-31T00:00:00Z'])),
        company: 'Example Corp',
        description: 'Left the company; mailbox kept for 90 days',
      }),
    );
  }
  for (const [name, description] of [
    ['svc-backup', 'Backup service'],
    ['svc-roster', 'Roster read-only bind account'],
  ] as const) {
    people.push(user({ container: `OU=Service Accounts,${BASE}`, person: { given: '', sn: '', cn: name }, sam: name, uac: '66048', mail: false, description, accountExpires: NEVER }));
  }
  records.push(...people.map((p) => p.record()));

  for (let i = 1; i <= 14; i += 1) {
    const name = i <= 12 ? `WS-${String(i).padStart(3, '0')}` : `LAPTOP-${String(i * 37).padStart(4, '0')}`;
    const dn = `CN=${name},CN=Computers,${BASE}`;
    records.push(computer(dn, name, '4096', rid++));
    stats.computers += 1;
  }
  records.push(computer(`CN=DC01,OU=Domain Controllers,${BASE}`, 'DC01', '532480', 1_000));
  stats.computers += 1;

  for (const [name, list] of members) {
    const dn = `CN=${escapeRdn(name)},${name === 'Domain Admins' ? 'CN=Users' : 'OU=Groups'},${BASE}`;
    records.push(
      record(dn, [
        ['objectClass', ['top', 'group']],
        ['cn', name],
        ['member', list],
        ['distinguishedName', dn],
        ['instanceType', '4'],
        ...stamps(),
        ['name', name],
        ['objectGUID', objectGuid()],
        ['objectSid', objectSid(name === 'Domain Admins' ? 512 : rid++)],
        ['sAMAccountName', name],
        ['sAMAccountType', '268435456'],
        ['groupType', '-2147483646'],
        ['objectCategory', category('Group')],
      ]),
    );
    stats.groups += 1;
  }

  // Contacts are people but not accounts: the realm filter must leave them out too.
  for (const [given, sn, company] of [
    ['Priya', 'Raman', 'Contoso Ltd'],
    ['Tomás', 'Ibáñez', 'Fabrikam Inc'],
  ] as const) {
    const cn = `${given} ${sn}`;
    const dn = `CN=${cn},OU=External Contacts,${BASE}`;
    records.push(
      record(dn, [
        ['objectClass', ['top', 'person', 'organizationalPerson', 'contact']],
        ['cn', cn],
        ['sn', sn],
        ['givenName', given],
        ['distinguishedName', dn],
        ['instanceType', '4'],
        ...stamps(),
        ['displayName', cn],
        ['company', company],
        ['name', cn],
        ['objectGUID', objectGuid()],
        ['objectCategory', category('Person')],
        ['mail', `${given}.${sn}@${company.split(' ')[0]}.example`.toLowerCase().replace(/[^a-z.@]/g, '')],
      ]),
    );
    stats.contacts += 1;
  }

  const header = [
    '# Roster demo directory: an ldifde-style export of the fictional Active Directory domain',
    `# ${DOMAIN} ("Example Corp"). Every name, number and address in it is invented.`,
    '# Generated by resources/demo/generate-demo.ts; do not edit by hand, run',
    '#   npx tsx resources/demo/generate-demo.ts',
    `# ${stats.users} user accounts (${stats.disabled} disabled), ${stats.computers} computers, ${stats.groups} groups, ${stats.contacts} contacts.`,
  ].join(CRLF);
  // ldifde starts every record, the first included, with an empty line.
  return { ldif: header + CRLF + records.map((r) => CRLF + r).join(''), stats };
}

function computer(dn: string, name: string, uac: string, id: number): string {
  return record(dn, [
    ['objectClass', ['top', 'person', 'organizationalPerson', 'user', 'computer']],
    ['cn', name],
    ['distinguishedName', dn],
    ['instanceType', '4'],
    ...stamps(),
    ['name', name],
    ['objectGUID', objectGuid()],
    ['userAccountControl', uac],
    ['primaryGroupID', uac === '4096' ? '515' : '516'],
    ['objectSid', objectSid(id)],
    ['accountExpires', NEVER],
    ['sAMAccountName', `${name}$`],
    ['sAMAccountType', '805306369'],
    ['dNSHostName', `${name.toLowerCase()}.${DOMAIN}`],
    ['operatingSystem', uac === '4096' ? 'Windows 11 Enterprise' : 'Windows Server 2022 Standard'],
    ['objectCategory', category('Computer')],
  ]);
}

/** Where the generated file goes. */
export const DEMO_FILE = join(import.meta.dirname, 'directory.ldif');

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { ldif, stats } = buildDemoDirectory();
  writeFileSync(DEMO_FILE, ldif);
  console.log(`Wrote ${DEMO_FILE}: ${JSON.stringify(stats)}`);
}
