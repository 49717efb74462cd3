import { applyRenameRule, DEFAULT_RENAME_RULE, realmSlug, renameRuleProblem, type UsernameClashChoice } from '#shared/model/username-clash';
import { describedBy, errorId, hintId } from '../../lib/field-aria';
import { useImportActions, useImportClash } from './import-store';
import { useRealm } from '../../stores/realms-store';
import { clashSentence, clashTally } from './clash-choices';
import { formatCount } from './import-labels';

const RULE_ID = 'clash-rule';

/**
 * "N usernames already belong to users of realm X: Link all · Import all as {username}.{realm} · Skip all",
 * with the rename rule visible and editable, and how many entries each choice takes — all before running.
 */
export function ClashBar() {
  const { clash, clashError, total, realms, realmId } = useImportClash();
  const { setClashAll, setClashRule } = useImportActions();
  const realm = useRealm(realmId ?? undefined);
  if (total === 0) return null;
  const ruleProblem = renameRuleProblem(clash.rule);
  const tally = clashTally(clash, total);
  const slug = realmSlug(realm?.name ?? '');
  const choice = (value: UsernameClashChoice, label: string) => (
    <button type="button" className="chip clash-bar__choice" aria-pressed={clash.all === value} onClick={() => setClashAll(value)}>
      {label}
    </button>
  );
  return (
    <section className="clash-bar" aria-labelledby="clash-bar-title" data-testid="clash-bar">
      <h3 id="clash-bar-title" className="clash-bar__title">
        {clashSentence(total, realms)}:
      </h3>
      <div className="clash-bar__choices" role="group" aria-labelledby="clash-bar-title">
        {choice('link', 'Link all')}
        <span aria-hidden="true">·</span>
        {choice('rename', `Import all as ${clash.rule || DEFAULT_RENAME_RULE}`)}
        <span aria-hidden="true">·</span>
        {choice('skip', 'Skip all')}
      </div>
      <div className={ruleProblem ? 'field field--invalid clash-bar__rule' : 'field clash-bar__rule'}>
        <label className="field__label" htmlFor={RULE_ID}>
          Rename rule
        </label>
        <div className="field__control">
          <input
            id={RULE_ID}
            className="input mono"
            value={clash.rule}
            spellCheck={false}
            autoComplete="off"
            onChange={(event) => setClashRule(event.target.value)}
            {...describedBy(RULE_ID, ruleProblem ?? undefined, true)}
          />
          {ruleProblem && (
            <p className="field__error" id={errorId(RULE_ID)}>
              {ruleProblem}
            </p>
          )}
          <p className="field__hint" id={hintId(RULE_ID)}>
            {'{username}'} is the directory&rsquo;s username, {'{realm}'} is <span className="mono">{slug}</span>: jdoe becomes{' '}
            <span className="mono">{ruleProblem ? '…' : applyRenameRule(clash.rule, 'jdoe', realm?.name ?? '')}</span>. A name already taken is reported, never
            changed.
          </p>
        </div>
      </div>
      <p className="clash-bar__tally" aria-live="polite" data-testid="clash-tally">
        When you import: {formatCount(tally.link)} linked (Roster id, local fields, roles and history kept), {formatCount(tally.rename)} imported under another
        username, {formatCount(tally.skip)} skipped.
      </p>
      {clashError && (
        <p className="banner banner--error" role="alert">
          {clashError}
        </p>
      )}
    </section>
  );
}
