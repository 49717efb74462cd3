import { useId, useLayoutEffect, useRef, type ReactNode } from 'react';
import './modal.css';

interface ModalProps {
  title: string;
  children: ReactNode;
  footer: ReactNode;
  onClose(): void;
}

/**
 * A modal dialog on the native <dialog>: it traps focus, closes on Escape and gives focus back on close.
 * Mounted means open. The control marked `data-autofocus` gets focus first.
 */
export function Modal({ title, children, footer, onClose }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // Layout effect: close() must run while the dialog is still in the document, or focus is not restored.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    dialog.showModal();
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => dialog.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="modal"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 className="modal__title" id={titleId}>
        {title}
      </h2>
      <div className="modal__body">{children}</div>
      <div className="modal__footer">{footer}</div>
    </dialog>
  );
}
