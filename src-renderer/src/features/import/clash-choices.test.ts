import { describe, expect, it } from 'vitest';
import { chooseAll, chooseRow, clashProblem, clashRequest, clashSentence, clashTally, nameRow, NO_CLASH_CHOICES, rowDecision } from './clash-choices';

const jdoe = { dn: 'uid=jdoe,ou=people,dc=acme', username: 'jdoe' };
const ann = { dn: 'uid=ann,ou=people,dc=acme', username: 'ann' };

describe('clash choices', () => {
  it('decides each entry: its own choice, else the one for all; names from the rule unless typed', () => {
    expect(rowDecision(NO_CLASH_CHOICES, jdoe, 'Acme Corp')).toEqual({ choice: 'skip', username: 'jdoe.acme-corp', typed: false, problem: null });
    const all = chooseAll(NO_CLASH_CHOICES, 'rename');
    expect(rowDecision(all, jdoe, 'Acme Corp')).toEqual({ choice: 'rename', username: 'jdoe.acme-corp', typed: false, problem: null });
    const typed = nameRow(all, jdoe.dn, 'john.doe');
    expect(rowDecision(typed, jdoe, 'Acme Corp')).toEqual({ choice: 'rename', username: 'john.doe', typed: true, problem: null });
    const linked = chooseRow(typed, ann.dn, 'link');
    expect(rowDecision(linked, ann, 'Acme Corp').choice).toBe('link');
    // "Skip all" clears every entry's own choice, but a typed name waits for the next "Import as".
    const skipped = chooseAll(linked, 'skip');
    expect([rowDecision(skipped, jdoe, 'Acme').choice, rowDecision(skipped, ann, 'Acme').choice]).toEqual(['skip', 'skip']);
    expect(rowDecision(chooseRow(skipped, jdoe.dn, 'rename'), jdoe, 'Acme').username).toBe('john.doe');
  });

  it('counts what a run will do, honestly', () => {
    const choices = chooseRow(chooseRow(chooseAll(NO_CLASH_CHOICES, 'link'), jdoe.dn, 'skip'), ann.dn, 'rename');
    expect(clashTally(choices, 10)).toEqual({ link: 8, rename: 1, skip: 1 });
    expect(clashTally(NO_CLASH_CHOICES, 3)).toEqual({ link: 0, rename: 0, skip: 3 });
  });

  it('sends only the entries that differ from the choice for all', () => {
    const choices = nameRow(chooseRow(chooseRow(chooseAll(NO_CLASH_CHOICES, 'link'), jdoe.dn, 'skip'), ann.dn, 'link'), 'uid=bob', 'bob.acme');
    expect(clashRequest(choices)).toEqual({
      onUsernameClash: 'link',
      renameRule: '{username}.{realm}',
      overrides: { [jdoe.dn]: { choice: 'skip' }, 'uid=bob': { choice: 'rename', username: 'bob.acme' } },
    });
  });

  it('stops a run on a rule some entry uses, a bad typed name, or one name typed twice', () => {
    const badRule = { ...NO_CLASH_CHOICES, rule: '{user}' };
    expect(clashProblem(badRule, 4)).toBeNull();
    expect(clashProblem(chooseAll(badRule, 'rename'), 4)).toBe(
      'The rename rule cannot be used: Unknown placeholder {user}: a rule may use {username} and {realm}.',
    );
    // Every entry has a typed name: the rule is not used.
    expect(clashProblem(nameRow(chooseAll(badRule, 'rename'), jdoe.dn, 'j.doe'), 1)).toBeNull();
    expect(clashProblem(nameRow(NO_CLASH_CHOICES, jdoe.dn, 'j doe'), 2)).toBe(
      `Username "j doe" may contain only letters, digits, and . _ - @ (at most 64 characters, no spaces). (typed for ${jdoe.dn})`,
    );
    expect(clashProblem(nameRow(nameRow(NO_CLASH_CHOICES, jdoe.dn, 'Same'), ann.dn, 'same'), 2)).toBe(
      `The name same is typed for two entries (${jdoe.dn} and ${ann.dn}); usernames are unique ignoring case.`,
    );
    expect(clashProblem(chooseRow(nameRow(NO_CLASH_CHOICES, jdoe.dn, 'j doe'), jdoe.dn, 'skip'), 2)).toBeNull();
  });

  it('says where the usernames are held', () => {
    expect(clashSentence(3, [{ realmId: 'a', realmName: 'Lab', count: 3 }])).toBe('3 usernames already belong to users of realm Lab');
    expect(clashSentence(1, [{ realmId: 'a', realmName: 'Lab', count: 1 }])).toBe('1 username already belongs to a user of realm Lab');
    expect(
      clashSentence(1_204, [
        { realmId: 'a', realmName: 'Lab', count: 1_200 },
        { realmId: 'b', realmName: 'HR', count: 3 },
        { realmId: 'c', realmName: 'Old AD', count: 1 },
      ]),
    ).toBe('1,204 usernames already belong to users of realms Lab (1,200), HR (3) and Old AD (1)');
  });
});
