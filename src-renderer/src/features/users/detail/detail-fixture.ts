import type { FieldState, UserDetail } from '#shared/model/user';

/** A FieldState with defaults, for tests. */
export function fieldState(key: string, over: Partial<FieldState> = {}): FieldState {
  return {
    key,
    label: key[0]!.toUpperCase() + key.slice(1),
    type: 'text',
    owner: 'local',
    required: false,
    value: '',
    readOnly: false,
    source: 'internal',
    completion: false,
    missing: false,
    ...over,
  };
}

/** A UserDetail for tests: an internal user with the given fields, unless `kind` says otherwise. */
export function userDetail(fields: FieldState[], over: Partial<UserDetail['user']> = {}): UserDetail {
  return {
    user: {
      id: 'u1',
      username: 'alice',
      kind: 'internal',
      enabled: true,
      roles: [],
      fields: Object.fromEntries(fields.map((f) => [f.key, f.value])),
      createdAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-01T00:00:00.000Z',
      ...over,
    },
    fields,
    roleNames: [],
  };
}
