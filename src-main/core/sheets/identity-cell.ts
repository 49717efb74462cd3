import { guidToString } from '../ldap/guid';

/** csvde writes objectGUID, an octet string, as its 16 bytes in hex: `X'3b2c1d6f594a8f4e9d0c1b2a3c4d5e6f'`. */
const CSVDE_BINARY = /^X'([0-9a-f]{32})'$/i;
/** Some tools write a GUID in braces, `{6f1d2c3b-4a59-4e8f-9d0c-1b2a3c4d5e6f}`, as .NET's "B" format does. */
const BRACED = /^\{([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}$/i;

/**
 * A directory id cell as Roster keeps directory ids: csvde's hex bytes become the canonical GUID string
 * (the one Get-ADUser shows and Roster stores), braces come off; anything else is taken as written.
 */
export function directoryIdOf(cell: string): string {
  const binary = CSVDE_BINARY.exec(cell);
  if (binary) return guidToString(Buffer.from(binary[1]!, 'hex'));
  return BRACED.exec(cell)?.[1] ?? cell;
}
