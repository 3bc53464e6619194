// Settings → Export: CSV files for the accountant (GET /exports). Invoices (one row per invoice or per line), payments
// or customers for a date range; the file downloads at once, or, when large, from a short-lived link. Every role may
// export: it changes nothing.
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useMutation } from '@tanstack/react-query';
import type { ExportLink, ExportQuery } from '../api/types';
import { useApi } from '../app/session';
import { usePageTitle } from '../app/usePageTitle';
import { Alert, errorMessage } from '../ui/feedback';
import { SelectField, TextField } from '../ui/fields';
import { applyServerErrors } from '../ui/serverErrors';
import { SettingsTabs } from './SettingsTabs';

type What = 'invoices' | 'invoice-lines' | 'payments' | 'customers' | 'credit-notes';

interface ExportForm {
  what: What;
  from: string;
  to: string;
}

const today = () => new Date().toISOString().slice(0, 10);
const startOfYear = () => `${new Date().getFullYear()}-01-01`;

function toQuery(f: ExportForm): ExportQuery {
  const kind = f.what === 'invoice-lines' ? 'invoices' : f.what;
  return { kind, from: f.from || undefined, to: f.to || undefined, rows: f.what === 'invoice-lines' ? 'line' : undefined };
}

/** invoices-2026-01-01-to-2026-12-04.csv */
function fileName(f: ExportForm): string {
  const what = f.what === 'invoice-lines' ? 'invoice-lines' : f.what;
  return f.from && f.to ? `${what}-${f.from}-to-${f.to}.csv` : `${what}.csv`;
}

/** Saves a Blob as a file, as the browser's download does. */
function saveFile(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportPage() {
  usePageTitle('Export');
  const api = useApi();
  const [done, setDone] = useState<{ name: string; link?: ExportLink } | null>(null);
  const { register, handleSubmit, setError, formState, watch } = useForm<ExportForm>({
    defaultValues: { what: 'invoices', from: startOfYear(), to: today() },
  });
  const exporting = useMutation({
    mutationFn: (f: ExportForm) => api.exportCsv(toQuery(f)),
    onSuccess: (result, f) => {
      if (result instanceof Blob) {
        saveFile(result, fileName(f));
        setDone({ name: fileName(f) });
      } else {
        setDone({ name: result.fileName, link: result });
        window.location.assign(result.url);
      }
    },
    // The problem points at the query parameter (/query/from): next to its field.
    onError: (error) =>
      applyServerErrors(error, setError, (path) => {
        const parameter = path.replace(/^query\./, '');
        return parameter === 'from' || parameter === 'to' ? parameter : parameter === 'rows' || parameter === 'kind' ? 'what' : null;
      }),
  });
  const e = formState.errors;
  const what = watch('what');
  return (
    <div className="page page--narrow">
      <div className="page__header">
        <h1>Settings</h1>
      </div>
      <SettingsTabs />
      <form className="stack" noValidate aria-label="Export" onSubmit={handleSubmit((f) => { setDone(null); exporting.mutate(f); })}>
        <section className="card" aria-labelledby="export-title">
          <h2 id="export-title" className="card__title">
            Export for your accountant
          </h2>
          <p className="muted small">
            A CSV file that spreadsheets open as it is: UTF-8, dates as 2026-12-31, amounts with a decimal point and a currency
            column. Invoices and payments are chosen by the invoice's issue date; customers by when they were added.
          </p>
          {exporting.isError ? <Alert kind="error">{errorMessage(exporting.error)}</Alert> : null}
          {done ? (
            <Alert kind="success">
              {done.link ? (
                <>
                  {done.name} ({done.link.rows} rows) is ready:{' '}
                  <a href={done.link.url} download={done.name}>
                    download it
                  </a>{' '}
                  (the link works for a few minutes).
                </>
              ) : (
                <>{done.name} is downloaded.</>
              )}
            </Alert>
          ) : null}
          <div className="form-grid">
            <SelectField label="What" wrapperClassName="span-2" error={e.what?.message} {...register('what')}>
              <option value="invoices">Invoices, one row per invoice</option>
              <option value="invoice-lines">Invoices, one row per line</option>
              <option value="payments">Payments</option>
              <option value="credit-notes">Credit notes</option>
              <option value="customers">Customers</option>
            </SelectField>
            <TextField label="From" type="date" error={e.from?.message} {...register('from')} />
            <TextField label="To" type="date" hint={what === 'customers' ? 'Leave both dates empty for every customer.' : undefined} error={e.to?.message} {...register('to')} />
          </div>
        </section>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={exporting.isPending}>
            {exporting.isPending ? 'Preparing…' : 'Download CSV'}
          </button>
        </div>
      </form>
    </div>
  );
}
