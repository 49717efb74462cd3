import type { ReactNode } from 'react';
import type { AppError } from '#shared/result';
import { Modal } from './Modal';

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Styles the confirm button as destructive. */
  danger?: boolean;
  busy?: boolean;
  error?: AppError | null;
  onConfirm(): void;
  onCancel(): void;
}

/** An in-app yes/no question; focus starts on Cancel so Enter never destroys by accident. */
export function ConfirmDialog({ title, children, confirmLabel, danger, busy, error, onConfirm, onCancel }: ConfirmDialogProps) {
  return (
    <Modal
      title={title}
      onClose={onCancel}
      footer={
        <>
          <button type="button" className="button" onClick={onCancel} data-autofocus>
            Cancel
          </button>
          <button type="button" className={danger ? 'button button--danger' : 'button button--primary'} onClick={onConfirm} disabled={busy}>
            {confirmLabel}
          </button>
        </>
      }
    >
      {children}
      {error && (
        <p className="banner banner--error" role="alert">
          {error.message}
        </p>
      )}
    </Modal>
  );
}
