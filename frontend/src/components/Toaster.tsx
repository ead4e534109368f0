// Short confirmations ("Interaction saved") announced politely to screen readers and gone after a few seconds.
// At most one toast of each kind: a newer one replaces the older, so they never pile up over the page.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';

export type ToastKind = 'success' | 'error' | 'info';
/** A button in the toast, e.g. Undo; pressing it runs `onClick` and closes the toast. */
export interface ToastAction {
  label: string;
  onClick: () => void;
}
interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  action?: ToastAction;
}
export type ShowToast = (message: string, kind?: ToastKind, action?: ToastAction) => void;

const ToastContext = createContext<ShowToast | null>(null);
const LIFETIME: Record<ToastKind, number> = { success: 4000, info: 4000, error: 8000 };
let nextId = 1;

export function Toaster({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const timers = useRef(new Map<number, number>());
  const dismiss = useCallback((id: number) => {
    window.clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((all) => all.filter((t) => t.id !== id));
  }, []);
  const show = useCallback<ShowToast>(
    (message, kind = 'success', action) => {
      const id = nextId++;
      setToasts((all) => [...all.filter((t) => t.kind !== kind), { id, kind, message, action }]);
      // An action needs time to be read and reached.
      timers.current.set(id, window.setTimeout(() => dismiss(id), action ? 12000 : LIFETIME[kind]));
    },
    [dismiss],
  );
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast--${t.kind}`}>
            <span title={t.message}>{t.message}</span>
            {t.action && (
              <button
                type="button"
                className="toast__action"
                onClick={() => {
                  dismiss(t.id);
                  t.action?.onClick();
                }}
              >
                {t.action.label}
              </button>
            )}
            <button type="button" className="toast__close" aria-label="Dismiss notification" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast() {
  const show = useContext(ToastContext);
  if (!show) throw new Error('useToast must be used inside Toaster');
  return show;
}
