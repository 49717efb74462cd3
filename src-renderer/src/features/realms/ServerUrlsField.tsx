import { Field } from '../../components/Field';
import { useDraftValue, useFormActions, useTestFlags } from './realm-form-hooks';
import { realmFieldAria } from './field-aria';
import type { FieldErrors } from './realm-validation';

const labelFor = (index: number) => (index === 0 ? 'Server URL' : `Server URL ${index + 1}`);

/** The realm's server URLs, in failover order, each on its own labelled row. */
export function ServerUrlsField({ errors }: { errors: FieldErrors }) {
  const urls = useDraftValue((d) => d.urls);
  const { edit } = useFormActions();
  const flags = useTestFlags();
  const setUrl = (index: number, value: string) => edit((d) => ({ ...d, urls: d.urls.map((u, i) => (i === index ? value : u)) }), `connection.urls.${index}`);
  const remove = (index: number) => edit((d) => ({ ...d, urls: d.urls.filter((_, i) => i !== index) }));
  const last = urls.length - 1;
  return (
    <>
      {urls.map((url, index) => {
        const id = `realm-url-${index}`;
        const error = errors[`connection.urls.${index}`];
        const hint = index === last ? 'Tried in this order: when a server does not answer, the next one is used.' : undefined;
        return (
          <Field key={index} id={id} label={labelFor(index)} error={error} hint={hint}>
            <div className="input-row">
              <input
                id={id}
                className="input mono"
                value={url}
                placeholder={index === 0 ? 'ldap://dc1.corp.example:389' : 'ldap://dc2.corp.example:389'}
                spellCheck={false}
                onChange={(event) => setUrl(index, event.target.value)}
                {...realmFieldAria(id, error, hint !== undefined, flags[`connection.urls.${index}`])}
              />
              {urls.length > 1 && (
                <button type="button" className="icon-button" aria-label={`Remove URL ${index + 1}`} title="Remove this server" onClick={() => remove(index)}>
                  ✕
                </button>
              )}
            </div>
          </Field>
        );
      })}
      <div className="field field--bare">
        <div className="field__control">
          <button type="button" className="button button--small" onClick={() => edit((d) => ({ ...d, urls: [...d.urls, ''] }))}>
            + Add failover server
          </button>
        </div>
      </div>
    </>
  );
}
