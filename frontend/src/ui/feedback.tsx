import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';

export function Alert(props: { kind?: 'error' | 'warning' | 'info' | 'success'; title?: ReactNode; children?: ReactNode; actions?: ReactNode }) {
  const kind = props.kind ?? 'error';
  return (
    <div className={`alert alert--${kind}`} role={kind === 'error' || kind === 'warning' ? 'alert' : 'status'}>
      <div className="alert__text">
        {props.title ? <strong className="alert__title">{props.title}</strong> : null}
        {props.children ? <div>{props.children}</div> : null}
      </div>
      {props.actions ? <div className="alert__actions">{props.actions}</div> : null}
    </div>
  );
}

/** What went wrong with a request, in the API's own words (problem detail), or a generic line. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return `${error.problem.title} ${error.problem.detail ?? ''}`.trim();
    return error.problem.detail ?? error.problem.title;
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}

export function ErrorState(props: { error: unknown; onRetry?: () => void }) {
  const notFound = props.error instanceof ApiError && props.error.isNotFound;
  return (
    <Alert
      kind="error"
      title={notFound ? 'Not found' : 'This could not be loaded'}
      actions={props.onRetry && !notFound ? <button type="button" className="button" onClick={props.onRetry}>Try again</button> : null}
    >
      {errorMessage(props.error)}
    </Alert>
  );
}

export function Loading(props: { label?: string; lines?: number }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="visually-hidden">{props.label ?? 'Loading…'}</span>
      {Array.from({ length: props.lines ?? 3 }, (_, i) => (
        <div key={i} className="skeleton" aria-hidden="true" />
      ))}
    </div>
  );
}

export function EmptyState(props: { title: ReactNode; children?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="empty">
      <h2 className="empty__title">{props.title}</h2>
      {props.children ? <div className="empty__text">{props.children}</div> : null}
      {props.actions ? <div className="empty__actions">{props.actions}</div> : null}
    </div>
  );
}

// ---------------------------------------------------------------- toasts

interface Toast {
  id: number;
  text: string;
  kind: 'success' | 'error' | 'info';
}

const ToastContext = createContext<(text: string, kind?: Toast['kind']) => void>(() => undefined);

export function ToastProvider(props: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const show = useCallback((text: string, kind: Toast['kind'] = 'success') => {
    const id = next.current++;
    setToasts((list) => [...list, { id, text, kind }]);
    setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), 5000);
  }, []);
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {props.children}
      <div className="toasts" aria-live="polite" role="status">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast--${t.kind}`}>
            {t.text}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast() {
  return useContext(ToastContext);
}
