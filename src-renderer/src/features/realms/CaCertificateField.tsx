import { useState, type ChangeEvent } from 'react';
import { Field } from '../../components/Field';
import { describedBy } from '../../lib/field-aria';
import { useDraftValue, useFormActions } from './realm-form-hooks';

const PEM_BEGIN = '-----BEGIN CERTIFICATE-----';
const countCertificates = (pem: string) => pem.split(PEM_BEGIN).length - 1;

/** The CA certificate(s) to trust, pasted or loaded from a .pem/.crt/.cer file. */
export function CaCertificateField({ error }: { error: string | undefined }) {
  const pem = useDraftValue((d) => d.caCertPem);
  const { edit } = useFormActions();
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const setPem = (caCertPem: string) => edit((d) => ({ ...d, caCertPem }), 'connection.caCertPem');

  const load = (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.target;
    const file = input.files?.[0];
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      const text = typeof reader.result === 'string' ? reader.result : '';
      // A binary (DER) .cer decodes to garbage: say so rather than store it.
      if (!text.includes(PEM_BEGIN)) setFileProblem(`${file.name} is not a PEM certificate (no "${PEM_BEGIN}" line). Convert a DER file first: openssl x509 -inform der -in ${file.name} -out ca.pem`);
      else {
        setFileProblem(null);
        setPem(text.trim() + '\n');
      }
    };
    reader.onerror = () => setFileProblem(`Could not read ${file.name}: ${reader.error?.message ?? 'unknown error'}`);
    reader.readAsText(file);
    input.value = '';
  };

  const count = countCertificates(pem);
  const shownError = error ?? fileProblem ?? undefined;
  const hint = `${count ? `${count} certificate${count === 1 ? '' : 's'}. ` : ''}Used with LDAPS and StartTLS. Leave empty to trust the well-known public CAs.`;
  return (
    <Field id="realm-ca" label="CA certificate (PEM)" error={shownError} hint={hint}>
      <textarea
        id="realm-ca"
        className="textarea mono"
        rows={4}
        value={pem}
        placeholder={`${PEM_BEGIN}\nMIID…\n-----END CERTIFICATE-----`}
        spellCheck={false}
        onChange={(event) => setPem(event.target.value)}
        {...describedBy('realm-ca', shownError, true)}
      />
      <div className="input-row">
        <input id="realm-ca-file" className="file-input visually-hidden" type="file" accept=".pem,.crt,.cer" onChange={load} />
        <label htmlFor="realm-ca-file" className="button button--small">
          Load from file…
        </label>
        {pem && (
          <button type="button" className="button button--small button--quiet" onClick={() => setPem('')}>
            Clear
          </button>
        )}
      </div>
    </Field>
  );
}
