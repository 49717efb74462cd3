/**
 * Active Directory's objectGUID as the canonical string Windows tools show: the first three groups are
 * little-endian on the wire, so their bytes are swapped; the last two are in wire order.
 */
export function guidToString(bytes: Buffer): string {
  if (bytes.length !== 16) throw new Error(`An objectGUID has 16 bytes, got ${bytes.length}`);
  const hex = (indexes: number[]) => indexes.map((i) => bytes[i]!.toString(16).padStart(2, '0')).join('');
  return [hex([3, 2, 1, 0]), hex([5, 4]), hex([7, 6]), hex([8, 9]), hex([10, 11, 12, 13, 14, 15])].join('-');
}

/** The wire bytes of a canonical GUID string (inverse of guidToString). */
export function guidToBytes(guid: string): Buffer {
  const clean = guid.replace(/[{}]/g, '');
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(clean)) throw new Error(`Not a GUID: ${guid}`);
  const b = Buffer.from(clean.replace(/-/g, ''), 'hex');
  return Buffer.from([b[3]!, b[2]!, b[1]!, b[0]!, b[5]!, b[4]!, b[7]!, b[6]!, ...b.subarray(8)]);
}
