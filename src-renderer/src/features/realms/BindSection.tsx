import { useSecretsInfo } from '../../stores/app-store';
import { useFormTarget } from './realm-form-hooks';
import { useRealm } from '../../stores/realms-store';
import { DraftTextField } from './DraftTextField';
import { FormSection } from './FormSection';
import { PasswordField } from './PasswordField';
import type { FieldErrors } from './realm-validation';

/** Who Roster binds as; the password never comes back from main. */
export function BindSection({ errors }: { errors: FieldErrors }) {
  const target = useFormTarget();
  const realm = useRealm(target.kind === 'realm' ? target.id : undefined);
  const secrets = useSecretsInfo();
  return (
    <FormSection title="Authentication">
      <DraftTextField
        id="realm-bind-dn"
        label="Bind DN"
        errorKey="connection.bindDn"
        errors={errors}
        mono
        placeholder="CN=svc-roster,OU=Service Accounts,DC=corp,DC=example"
        hint="A read-only service account. Active Directory also accepts svc-roster@corp.example. Leave empty for an anonymous bind."
        value={(d) => d.bindDn}
        update={(d, bindDn) => ({ ...d, bindDn })}
      />
      {secrets && !secrets.persistent && (
        <div className="field field--bare">
          <div className="field__control">
            <p className="banner banner--info" data-testid="secrets-banner">
              {/* The reason already says how long passwords are kept: the heading does not say it again. */}
              <strong>Bind passwords are not saved on this computer.</strong>{' '}
              {secrets.reason ?? 'It offers no way to store them encrypted, so they are kept for this session only.'}
            </p>
          </div>
        </div>
      )}
      <PasswordField state={realm?.password} note={realm?.passwordNote} error={errors.password} />
    </FormSection>
  );
}
