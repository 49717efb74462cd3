import { TLS_LABELS } from './realm-labels';
import { useDraftValue, useFormActions } from './realm-form-hooks';
import { CaCertificateField } from './CaCertificateField';
import { CheckboxField } from '../../components/CheckboxField';
import { DraftSelectField } from './DraftSelectField';
import { FormSection } from './FormSection';
import type { FieldErrors } from './realm-validation';
import { tlsWarnings } from './tls-warnings';

/** TLS mode, the CA to trust and certificate verification. */
export function TlsSection({ errors }: { errors: FieldErrors }) {
  const { edit } = useFormActions();
  const verify = useDraftValue((d) => d.verifyCertificate);
  // A mismatch the last check already shows as the field's error is not repeated.
  const warnings = tlsWarnings({ tls: useDraftValue((d) => d.tls), urls: useDraftValue((d) => d.urls), bindDn: useDraftValue((d) => d.bindDn) }).filter(
    (w) => w !== errors['connection.tls'],
  );
  return (
    <FormSection title="Security">
      <DraftSelectField
        id="realm-tls"
        label="TLS"
        error={errors['connection.tls']}
        options={TLS_LABELS}
        value={(d) => d.tls}
        onChange={(tls) => edit((d) => ({ ...d, tls }))}
      />
      {warnings.length > 0 && (
        <div className="field field--bare">
          <div className="field__control">
            {warnings.map((w) => (
              <p key={w} className="note note--warning" data-testid="tls-warning">
                {w}
              </p>
            ))}
          </div>
        </div>
      )}
      <CaCertificateField error={errors['connection.caCertPem']} />
      <CheckboxField id="realm-verify" label="Verify certificate" checked={verify} onChange={(verifyCertificate) => edit((d) => ({ ...d, verifyCertificate }))}>
        {!verify && (
          <p className="note note--warning">
            Verification is off: anything that intercepts the connection can pose as the server and read the bind password. Use this only to diagnose a
            certificate problem.
          </p>
        )}
      </CheckboxField>
    </FormSection>
  );
}
