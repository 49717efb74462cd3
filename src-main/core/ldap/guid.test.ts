import { describe, expect, it } from 'vitest';
import { guidToBytes, guidToString } from './guid';

// The example from Microsoft's documentation of the GUID structure: Data1..Data3 are little-endian on the wire.
const WIRE = Buffer.from([0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]);

describe('objectGUID', () => {
  it('decodes wire bytes to the canonical string with the first three groups byte-swapped', () => {
    expect(guidToString(WIRE)).toBe('00112233-4455-6677-8899-aabbccddeeff');
  });

  it('encodes the canonical string back to the same wire bytes', () => {
    expect(guidToBytes('00112233-4455-6677-8899-AABBCCDDEEFF').equals(WIRE)).toBe(true);
    expect(guidToBytes('{00112233-4455-6677-8899-aabbccddeeff}').equals(WIRE)).toBe(true);
  });

  it('refuses values that are not 16 bytes or not GUIDs', () => {
    expect(() => guidToString(Buffer.alloc(15))).toThrow('An objectGUID has 16 bytes, got 15');
    expect(() => guidToBytes('not-a-guid')).toThrow('Not a GUID: not-a-guid');
  });
});
