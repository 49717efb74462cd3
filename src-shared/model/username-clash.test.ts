import { describe, expect, it } from 'vitest';
import { applyRenameRule, realmSlug, renameRuleProblem, usernameClashSchema } from './username-clash';

describe('rename rules', () => {
  it('slugs the realm name: lower-case, accents dropped, other runs as one dash', () => {
    expect(realmSlug('ACME')).toBe('acme');
    expect(realmSlug('Acme Corp')).toBe('acme-corp');
    expect(realmSlug('  Société Générale (Paris) ')).toBe('societe-generale-paris');
    expect(realmSlug('Ørsted A/S')).toBe('orsted-a-s');
    expect(realmSlug('Straße Łódź')).toBe('strasse-lodz');
    expect(realmSlug('東京')).toBe('realm');
  });

  it('gives jdoe.acme from {username}.{realm}, and any order of the two', () => {
    expect(applyRenameRule('{username}.{realm}', 'jdoe', 'Acme')).toBe('jdoe.acme');
    expect(applyRenameRule('{realm}_{username}', 'jdoe', 'Acme Corp')).toBe('acme-corp_jdoe');
    expect(applyRenameRule('ex-{username}', 'jdoe', 'Acme')).toBe('ex-jdoe');
  });

  it('says what is wrong with a rule', () => {
    expect(renameRuleProblem('{username}.{realm}')).toBeNull();
    expect(renameRuleProblem('ex-{username}')).toBeNull();
    expect(renameRuleProblem('')).toBe('Type a rule such as {username}.{realm}.');
    expect(renameRuleProblem('{user}.{realm}')).toBe('Unknown placeholder {user}: a rule may use {username} and {realm}.');
    expect(renameRuleProblem('{realm}-admin')).toBe('The rule must contain {username}; without it every entry would get the same name.');
    expect(renameRuleProblem('{username}')).toBe(
      'The rule must add something to {username} (that username is the one already taken), e.g. {username}.{realm}.',
    );
    expect(renameRuleProblem('{username} {realm}')).toBe('Outside {username} and {realm}, a rule may contain only letters, digits and . _ - @.');
  });

  it('parses the run options with skip and the proposed rule as defaults', () => {
    expect(usernameClashSchema.parse({})).toEqual({ onUsernameClash: 'skip', renameRule: '{username}.{realm}', overrides: {} });
    expect(usernameClashSchema.safeParse({ overrides: { 'uid=a': { choice: 'rename', username: 'a b' } } }).error?.issues[0]?.message).toBe(
      'Username "a b" may contain only letters, digits, and . _ - @ (at most 64 characters, no spaces).',
    );
  });
});
