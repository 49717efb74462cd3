import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '#shared/model/fields';
import { checkCustomField, EMPTY_CUSTOM_FIELD } from './custom-field-draft';

const costCenter: FieldDefinition = {
  key: 'costCenter',
  label: 'Cost center',
  type: 'text',
  owner: 'local',
  required: false,
  custom: true,
  ldapAttribute: 'extensionAttribute1',
};

describe('checkCustomField', () => {
  it('accepts a complete field and trims it', () => {
    const result = checkCustomField({ ...EMPTY_CUSTOM_FIELD, key: ' badge ', label: ' Badge ', ldapAttribute: 'employeeNumber', required: true }, []);
    expect(result).toEqual({
      ok: true,
      input: { key: 'badge', label: 'Badge', type: 'text', ldapAttribute: 'employeeNumber', owner: 'local', required: true },
    });
  });

  it('names each input that is wrong', () => {
    const result = checkCustomField({ ...EMPTY_CUSTOM_FIELD, key: '1x', ldapAttribute: 'not an attribute' }, []);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['key', 'label', 'ldapAttribute']);
  });

  it('refuses reserved and taken keys, ignoring case', () => {
    const draft = { ...EMPTY_CUSTOM_FIELD, label: 'X', ldapAttribute: 'x' };
    const errors = (key: string) => {
      const result = checkCustomField({ ...draft, key }, [costCenter]);
      return result.ok ? {} : result.errors;
    };
    expect(errors('Username').key).toMatch(/user property/);
    expect(errors('costcenter').key).toMatch(/exists already/);
    expect(errors('Department').key).toMatch(/exists already/);
  });
});
