import { useRef, type FormEvent } from 'react';
import { useDraftValue, useFieldErrors, useFormActions, useSaveStatus } from './realm-form-hooks';
import { BindSection } from './BindSection';
import { ConnectionTestPanel } from './ConnectionTestPanel';
import { GeneralSection } from './GeneralSection';
import { LdifFileSection } from './LdifFileSection';
import { MappingSection } from './MappingSection';
import { isFileRealm } from './realm-draft';
import { RealmFormHeader } from './RealmFormHeader';
import { SearchSection } from './SearchSection';
import { ServerSection } from './ServerSection';
import { TlsSection } from './TlsSection';

/** The realm form (create and edit): header with actions, test report, then the settings by topic. */
export function RealmForm() {
  const errors = useFieldErrors();
  const { formError } = useSaveStatus();
  const { save } = useFormActions();
  const file = useDraftValue(isFileRealm);
  const formRef = useRef<HTMLFormElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await save()) return;
    // Messages render on the next frame; then take the user to the first field that needs them.
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  };

  return (
    <form ref={formRef} className="realm-form" onSubmit={(event) => void submit(event)} noValidate>
      <RealmFormHeader />
      <div className="realm-form__body">
        {formError && (
          <p className="banner banner--error" role="alert">
            Could not save: {formError.message}
          </p>
        )}
        <ConnectionTestPanel />
        <GeneralSection errors={errors} />
        {file ? (
          <LdifFileSection errors={errors} />
        ) : (
          <>
            <ServerSection errors={errors} />
            <TlsSection errors={errors} />
            <BindSection errors={errors} />
          </>
        )}
        <SearchSection errors={errors} />
        <MappingSection errors={errors} />
      </div>
    </form>
  );
}
