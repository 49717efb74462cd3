import { writeFile } from 'node:fs/promises';
import { RosterError } from '#shared/result';
import type { ExportUser } from './columns';
import { writeCsvRecords } from './csv';
import { checkpoint, fieldsToApply, type ExportDocument, type WriteContext } from './document';
import { ADDED_APOSTROPHE_PATTERN } from './neutralise';
import { describeDirectory } from './parts';

/** The CSV columns before the attributes: who the row is (the script changes users by objectGUID). */
const IDENTITY_HEADERS = ['ObjectGUID', 'DistinguishedName', 'SamAccountName'] as const;
/** The last CSV column: the attributes to empty, joined with ';' (attribute names never hold one). */
const CLEAR_HEADER = 'Clear';
/** objectGUID as Roster keeps it, the canonical string `[guid]` parses. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A PowerShell single-quoted string. Inside one only quotes are special, and PowerShell also takes the
 * typographic single quotes (U+2018..U+201B) as quotes, so every one of them is doubled.
 */
export const psQuote = (text: string): string => `'${text.replace(/['\u2018-\u201b]/g, '$&$&')}'`;

/** Text for the comment-based help: one line, and never the `#>` that would end the comment. */
const helpText = (text: string): string => text.replace(/[\r\n]+/g, ' ').replace(/#>/g, '# >');

interface Attribute {
  name: string;
  /** Position of the field's column, to order the CSV like the export's columns. */
  order: number;
  multi: boolean;
}

interface Plan {
  row: ExportUser;
  changes: ReturnType<typeof fieldsToApply>;
}

/** The rows the script can apply (an objectGUID and something to change) and the attributes they touch, in column order. */
function planRows(doc: ExportDocument): { plans: Plan[]; attributes: Attribute[] } {
  const position = new Map(doc.columns.map((c, i) => [c.key, { order: i, multi: c.multi === true }]));
  // LDAP attribute names ignore case: two realms spelling one differently share a column.
  const attributes = new Map<string, Attribute>();
  const plans: Plan[] = [];
  for (const row of doc.rows) {
    if (!GUID.test(row.user.origin?.externalId ?? '')) continue;
    const changes = fieldsToApply(doc, row);
    if (changes.length === 0) continue;
    plans.push({ row, changes });
    for (const { field, attribute } of changes) {
      const key = attribute.toLowerCase();
      const column = position.get(field);
      const known = attributes.get(key);
      if (!known) attributes.set(key, { name: attribute, order: column?.order ?? Infinity, multi: column?.multi ?? false });
      else known.multi ||= column?.multi ?? false;
    }
  }
  const reserved = new Set([...IDENTITY_HEADERS, CLEAR_HEADER].map((h) => h.toLowerCase()));
  const clash = [...attributes.keys()].find((a) => reserved.has(a));
  if (clash)
    throw new RosterError(
      'invalid-input',
      `The attribute ${attributes.get(clash)!.name} cannot be set by the PowerShell export: its CSV uses that column name.`,
    );
  return { plans, attributes: [...attributes.values()].sort((a, b) => a.order - b.order) };
}

/** The CSV record of one user: a value only in the columns of attributes to replace, the emptied ones under Clear. */
function csvRecord(plan: Plan, attributes: readonly Attribute[], separator: string): string[] {
  const { user } = plan.row;
  const replace = new Map<string, string>();
  const clear: string[] = [];
  for (const { attribute, values } of plan.changes) {
    if (values.length === 0) clear.push(attribute);
    else replace.set(attribute.toLowerCase(), values.join(separator));
  }
  return [
    user.origin!.externalId,
    user.origin!.dn,
    user.origin!.baseUsername,
    ...attributes.map((a) => replace.get(a.name.toLowerCase()) ?? ''),
    clear.join(';'),
  ];
}

/**
 * Writes a PowerShell script for Active Directory owners and the CSV it reads: for each user with an objectGUID
 * and something to apply, `Set-ADUser -Identity <objectGUID> -Replace @{…} -Clear …`, with -WhatIf unless run
 * with -Apply, and a log. The script finds the CSV by its own name (the export service writes both under
 * temporary names first). Returns the number of CSV data rows.
 */
export async function writePs1(doc: ExportDocument, scriptFile: string, csvFile: string, ctx: WriteContext): Promise<{ records: number }> {
  const { plans, attributes } = planRows(doc);
  const records = function* () {
    yield [...IDENTITY_HEADERS, ...attributes.map((a) => a.name), CLEAR_HEADER];
    for (const [i, plan] of plans.entries()) {
      checkpoint(ctx, i);
      yield csvRecord(plan, attributes, doc.separator);
    }
  };
  await writeCsvRecords(csvFile, records(), ',');
  // A BOM, or Windows PowerShell 5.1 reads the script in the ANSI code page and garbles any accent.
  await writeFile(scriptFile, `\uFEFF${ps1Script(doc, attributes, plans.length).join('\r\n')}\r\n`, 'utf8');
  ctx.progress(doc.rows.length);
  return { records: plans.length };
}

/** The script's lines. */
function ps1Script(doc: ExportDocument, attributes: readonly Attribute[], users: number): string[] {
  const { about } = doc;
  const names = attributes.map((a) => a.name);
  const multi = attributes.filter((a) => a.multi).map((a) => a.name);
  const list = (items: readonly string[]): string => `@(${items.map(psQuote).join(', ')})`;
  const directory = about.directories?.length === 1 ? about.directories[0] : undefined;
  const server = directory?.urls[0]?.replace(/^ldaps?:\/\/([^/:]+).*$/i, '$1');
  const source = `Roster ${about.content === 'changes' ? 'change set' : 'export'} of ${about.at.toISOString()} by ${about.who}; scope: ${about.scope}; ${users} users${directory ? `; for ${describeDirectory(directory)}` : ''}`;
  return [
    '#Requires -Modules ActiveDirectory',
    '<#',
    '.SYNOPSIS',
    'Applies values completed in Roster to Active Directory with Set-ADUser.',
    '',
    '.DESCRIPTION',
    'Reads the CSV that ships with this script (same name, .csv, in the same folder) and calls, for each',
    'user, Set-ADUser -Identity <objectGUID> with -Replace for the attributes that have a value in the CSV',
    'and -Clear for the attributes emptied in Roster (the Clear column).',
    '',
    'Without -Apply nothing is changed: every Set-ADUser runs with -WhatIf. Run it once like that, read the',
    'log, then run it again with -Apply.',
    '',
    'Each user gets one line in the log and on the console (OK, WHATIF, or FAILED: the error), then a summary.',
    'The script exits with code 1 when a user failed.',
    '',
    ...(directory
      ? [
          `This script is for ONE directory: ${helpText(describeDirectory(directory))}.`,
          directory.kind === 'ldif-file'
            ? 'Roster reads that realm from an LDIF file: run the script against the domain the file was exported from.'
            : `Run it against that domain only (-Server ${helpText(server ?? '<domain controller>')}).`,
          ...(about.siblings?.length ? [`The other realms' users are in their own scripts: ${helpText(about.siblings.join(', '))}.`] : []),
          '',
        ]
      : []),
    'Source export:',
    `  Content:   ${about.content === 'changes' ? 'change set (completions, edits and emptied values since the last sync)' : 'snapshot (every chosen field)'}`,
    `  Scope:     ${helpText(about.scope)}`,
    `  Realms:    ${helpText(about.realms.join(', ') || 'none')}`,
    ...(directory ? [`  Directory: ${helpText(describeDirectory(directory))}`] : []),
    `  Written:   ${about.at.toISOString()} by ${helpText(about.who)} (Roster ${helpText(about.rosterVersion)})`,
    `  Users:     ${users} in the CSV of ${about.users} exported`,
    ...about.skipped.map((s) => `  Skipped:   ${s.count} ${helpText(s.reason)}`),
    `  Attributes: ${helpText(names.join(', ') || 'none')}`,
    `  Multi-valued (split on "${helpText(doc.separator)}"): ${helpText(multi.join(', ') || 'none')}`,
    '',
    '.PARAMETER CsvPath',
    'The CSV to read. Default: the CSV named like this script, in the same folder.',
    '',
    '.PARAMETER Server',
    'The domain controller or domain to change (Set-ADUser -Server). Default: the domain of this computer.',
    '',
    '.PARAMETER Credential',
    'An account allowed to change these users (Set-ADUser -Credential). Default: the current user.',
    '',
    '.PARAMETER Apply',
    'Make the changes. Without it every Set-ADUser runs with -WhatIf and nothing is changed.',
    '',
    '.PARAMETER LogPath',
    'Where the log goes. Default: <script name>-<yyyyMMdd-HHmmss>.log in the folder of this script.',
    '',
    '.EXAMPLE',
    '.\\<script>.ps1',
    'Shows what would change (-WhatIf) and writes the log.',
    '',
    '.EXAMPLE',
    '.\\<script>.ps1 -Apply -Server dc01.corp.example -Credential (Get-Credential)',
    'Applies the changes on dc01 as the account asked for.',
    '#>',
    '[CmdletBinding()]',
    'param(',
    "    [string]$CsvPath = (Join-Path $PSScriptRoot ([IO.Path]::GetFileNameWithoutExtension($PSCommandPath) + '.csv')),",
    '    [string]$Server,',
    '    [pscredential]$Credential,',
    '    [switch]$Apply,',
    "    [string]$LogPath = (Join-Path $PSScriptRoot ('{0}-{1}.log' -f [IO.Path]::GetFileNameWithoutExtension($PSCommandPath), (Get-Date -Format 'yyyyMMdd-HHmmss')))",
    ')',
    '',
    "$ErrorActionPreference = 'Stop'",
    '',
    '# Written by Roster: the export, the attributes the CSV carries, those holding several values and how they are joined.',
    `$Source = ${psQuote(source.replace(/[\r\n]+/g, ' '))}`,
    `$Attributes = ${list(names)}`,
    `$MultiValued = ${list(multi)}`,
    `$Separator = ${psQuote(doc.separator)}`,
    '',
    'function Write-Log([string]$Line) {',
    '    Write-Host $Line',
    '    Add-Content -LiteralPath $LogPath -Value $Line -Encoding UTF8',
    '}',
    '',
    '# Roster puts an apostrophe before a cell that could run a spreadsheet formula, and before one that starts with an apostrophe; take exactly that one off again.',
    'function Restore-Cell([string]$Value) {',
    `    if ($Value -cmatch ${psQuote(ADDED_APOSTROPHE_PATTERN)}) { return $Value.Substring(1) }`,
    '    return $Value',
    '}',
    '',
    "Write-Log ('{0} {1}' -f (Get-Date -Format 's'), $Source)",
    "Write-Log ('CSV: {0}' -f $CsvPath)",
    'if ($Apply) {',
    "    Write-Log 'APPLY: the changes are made.'",
    '} else {',
    "    Write-Log 'DRY RUN: every Set-ADUser runs with -WhatIf, nothing is changed. Run again with -Apply to make the changes.'",
    '}',
    '',
    '$rows = @(Import-Csv -LiteralPath $CsvPath -Encoding UTF8)',
    '$counts = @{ OK = 0; WHATIF = 0; FAILED = 0 }',
    'foreach ($row in $rows) {',
    '    $replace = @{}',
    '    foreach ($attribute in $Attributes) {',
    '        $value = Restore-Cell $row.$attribute',
    "        if ($value -eq '') { continue }",
    '        if ($MultiValued -contains $attribute) {',
    '            $replace[$attribute] = [string[]]($value -split [regex]::Escape($Separator))',
    '        } else {',
    '            $replace[$attribute] = $value',
    '        }',
    '    }',
    "    $clear = @($row.Clear -split ';' | Where-Object { $_ -ne '' })",
    '    $change = @{}',
    '    if ($replace.Count -gt 0) { $change.Replace = $replace }',
    '    if ($clear.Count -gt 0) { $change.Clear = $clear }',
    '    if ($Server) { $change.Server = $Server }',
    '    if ($Credential) { $change.Credential = $Credential }',
    "    $what = 'replace: {0}; clear: {1}' -f (@($replace.Keys) -join ', '), ($clear -join ', ')",
    "    $who = '{0} {1} ({2})' -f (Restore-Cell $row.SamAccountName), $row.ObjectGUID, (Restore-Cell $row.DistinguishedName)",
    '    try {',
    '        Set-ADUser -Identity ([guid]$row.ObjectGUID) @change -WhatIf:(-not $Apply) -ErrorAction Stop',
    "        if ($Apply) { $status = 'OK' } else { $status = 'WHATIF' }",
    '        $counts[$status]++',
    "        Write-Log ('{0}: {1} ({2})' -f $who, $status, $what)",
    '    } catch {',
    '        $counts.FAILED++',
    "        Write-Log ('{0}: FAILED: {1} ({2})' -f $who, $_.Exception.Message, $what)",
    '    }',
    '}',
    '',
    "Write-Log ('Done: {0} users, {1} OK, {2} WHATIF, {3} FAILED. Log: {4}' -f $rows.Count, $counts.OK, $counts.WHATIF, $counts.FAILED, $LogPath)",
    'if ($counts.FAILED -gt 0) { exit 1 }',
  ];
}
