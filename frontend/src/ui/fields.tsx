// Labelled form fields: every input has a visible label, its error next to it (announced, and tied to the input
// with aria-describedby), and an optional hint.
import { useId, type ComponentPropsWithRef, type ReactNode } from 'react';

interface FieldChrome {
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  /** Extra class for the wrapper (grid placement). */
  wrapperClassName?: string;
  /** Keep the label for screen readers only (e.g. inside a table row with a header). */
  hideLabel?: boolean;
}

function describedBy(id: string, error?: string, hint?: ReactNode): string | undefined {
  const ids = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Chrome(props: FieldChrome & { id: string; children: ReactNode }) {
  const { id, label, error, hint, wrapperClassName, hideLabel, children } = props;
  return (
    <div className={['field', error ? 'field--invalid' : '', wrapperClassName ?? ''].join(' ').trim()}>
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : 'field__label'}>
        {label}
      </label>
      {children}
      {hint && !error ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field__error" data-field-error>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function TextField(props: FieldChrome & ComponentPropsWithRef<'input'>) {
  const { label, error, hint, wrapperClassName, hideLabel, id, ...input } = props;
  const autoId = useId();
  const fieldId = id ?? autoId;
  return (
    <Chrome id={fieldId} label={label} error={error} hint={hint} wrapperClassName={wrapperClassName} hideLabel={hideLabel}>
      <input id={fieldId} aria-invalid={error ? true : undefined} aria-describedby={describedBy(fieldId, error, hint)} {...input} />
    </Chrome>
  );
}

export function SelectField(props: FieldChrome & ComponentPropsWithRef<'select'>) {
  const { label, error, hint, wrapperClassName, hideLabel, id, children, ...select } = props;
  const autoId = useId();
  const fieldId = id ?? autoId;
  return (
    <Chrome id={fieldId} label={label} error={error} hint={hint} wrapperClassName={wrapperClassName} hideLabel={hideLabel}>
      <select id={fieldId} aria-invalid={error ? true : undefined} aria-describedby={describedBy(fieldId, error, hint)} {...select}>
        {children}
      </select>
    </Chrome>
  );
}

export function TextAreaField(props: FieldChrome & ComponentPropsWithRef<'textarea'>) {
  const { label, error, hint, wrapperClassName, hideLabel, id, ...textarea } = props;
  const autoId = useId();
  const fieldId = id ?? autoId;
  return (
    <Chrome id={fieldId} label={label} error={error} hint={hint} wrapperClassName={wrapperClassName} hideLabel={hideLabel}>
      <textarea id={fieldId} aria-invalid={error ? true : undefined} aria-describedby={describedBy(fieldId, error, hint)} {...textarea} />
    </Chrome>
  );
}
