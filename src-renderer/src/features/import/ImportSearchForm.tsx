import { useRef, type FormEvent, type KeyboardEvent } from 'react';
import type { Realm } from '#shared/model/realm';
import { Field } from '../../components/Field';
import { describedBy, errorId } from '../../lib/field-aria';
import { useImportActions, useImportForm, useImportStore } from './import-store';

const QUERY_HINT = 'A keyword matches usernames, full names and mail addresses anywhere in them; * lists everyone.';

/** Realm, Query, the advanced LDAP filter and Search. Enter searches from any of them. */
export function ImportSearchForm({ realms }: { realms: Realm[] }) {
  const { realmId, query, advanced, filter, searching, queryError, filterError } = useImportForm();
  const { chooseRealm, setQuery, setAdvanced, setFilter, search } = useImportActions();
  const filterRef = useRef<HTMLTextAreaElement>(null);
  // A search refused for its filter (Roster's own check, or main's) takes the user to the filter, whose message describes it.
  const run = async () => {
    await search();
    const { advanced: open, filterError: refused } = useImportStore.getState();
    if (open && refused) filterRef.current?.focus();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run();
  };
  // A filter is one line to LDAP; Enter searches, Shift+Enter still breaks a long filter for reading.
  const filterKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void run();
    }
  };
  return (
    <form className="import-form" onSubmit={submit} noValidate aria-label="Search a realm">
      <div className="import-form__row">
        <Field id="import-realm" label="Realm">
          <select id="import-realm" className="select" value={realmId ?? ''} onChange={(event) => chooseRealm(event.target.value)}>
            {realms.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="import-query" label="Query" error={queryError ?? undefined} hint={QUERY_HINT}>
          <div className="import-form__query">
            <input
              id="import-query"
              className="input"
              type="search"
              value={query}
              placeholder="e.g. smith, or *"
              autoComplete="off"
              spellCheck={false}
              autoFocus
              onChange={(event) => setQuery(event.target.value)}
              {...describedBy('import-query', queryError ?? undefined, true)}
            />
            <button type="submit" className="button button--primary" disabled={searching} aria-busy={searching}>
              {searching && <span className="spinner" aria-hidden="true" />}
              {searching ? 'Searching…' : 'Search'}
            </button>
          </div>
        </Field>
      </div>
      <details className="import-form__advanced" open={advanced} onToggle={(event) => setAdvanced(event.currentTarget.open)}>
        <summary>Advanced: LDAP filter</summary>
        <div className={filterError ? 'field field--invalid' : 'field'}>
          <label className="field__label" htmlFor="import-filter">
            LDAP filter
          </label>
          <div className="field__control">
            <textarea
              ref={filterRef}
              id="import-filter"
              className="textarea mono"
              rows={2}
              value={filter}
              placeholder="(&(department=Sales)(!(title=Intern)))"
              spellCheck={false}
              onChange={(event) => setFilter(event.target.value)}
              onKeyDown={filterKey}
              {...describedBy('import-filter', filterError ?? undefined, true)}
            />
            {filterError && (
              <p className="field__error" id={errorId('import-filter')}>
                {filterError}
              </p>
            )}
            <p className="field__hint" id="import-filter-hint">
              An RFC 4515 filter, used instead of the query and combined with the realm&rsquo;s user filter. Roster checks it before sending it.
            </p>
          </div>
        </div>
      </details>
    </form>
  );
}
