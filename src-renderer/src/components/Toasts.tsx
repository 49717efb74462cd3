import { useToastStore, usePlaceToasts } from '../stores/toast-store';
import './toasts.css';

/**
 * The success messages said at a place, in a polite live region that is always there (so screen readers
 * announce what arrives). Each fades after a few seconds; moving elsewhere clears them (toast-store).
 */
export function Toasts({ place }: { place: string }) {
  const toasts = usePlaceToasts(place);
  const dismiss = useToastStore((s) => s.dismiss);
  return (
    <div className="toasts" role="status" aria-live="polite" data-testid="toasts">
      {toasts.map((toast) => (
        <p key={toast.id} className={toast.action ? 'toast toast--long' : 'toast'} data-testid="toast">
          <span className="toast__text">✓ {toast.text}</span>
          {toast.action && (
            <button
              type="button"
              className="link-button toast__action"
              onClick={() => {
                dismiss(toast.id);
                toast.action?.run();
              }}
            >
              {toast.action.label}
            </button>
          )}
          <button type="button" className="link-button toast__dismiss" aria-label={`Dismiss: ${toast.text}`} onClick={() => dismiss(toast.id)}>
            Dismiss
          </button>
        </p>
      ))}
    </div>
  );
}
