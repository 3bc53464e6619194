// Customers → Import: a CSV file (as the export writes it, or a spreadsheet's own) checked row by row first
// (POST /customers/import/preview), then imported (POST /customers/import). Importing the same file again creates nothing.
import { useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { newIdempotencyKey } from '../api/client';
import { customerChanged } from '../api/queries';
import type { CustomerImportReport } from '../api/types';
import { useApi } from '../app/session';
import { Dialog } from '../ui/Dialog';
import { Alert, errorMessage, useToast } from '../ui/feedback';

const STATUS: Record<string, string> = { create: 'New', skip: 'Already there', invalid: 'Not valid', created: 'Added', skipped: 'Already there' };

export function ImportCustomersDialog(props: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={props.open} title="Import customers from a CSV file" onClose={props.onClose} wide>
      {props.open ? <ImportBody onClose={props.onClose} /> : null}
    </Dialog>
  );
}

function ImportBody(props: { onClose: () => void }) {
  const api = useApi();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [csv, setCsv] = useState<string | null>(null);
  const idempotencyKey = useRef(newIdempotencyKey());
  const preview = useMutation({ mutationFn: (text: string) => api.previewCustomerImport(text) });
  const importing = useMutation({
    mutationFn: (text: string) => api.importCustomers(text, idempotencyKey.current),
    onSuccess: (report) => {
      customerChanged(queryClient);
      toast(`${report.create} customer${report.create === 1 ? '' : 's'} added${report.skip ? `, ${report.skip} already there` : ''}.`);
      props.onClose();
    },
  });
  const choose = async (file: File | undefined) => {
    if (!file) return;
    const text = await file.text();
    setCsv(text);
    idempotencyKey.current = newIdempotencyKey();
    preview.mutate(text);
  };
  const report = preview.data;
  return (
    <div className="stack">
      <p>
        A header row names the columns: <code>name</code> (required), <code>email</code>, <code>phone</code>, <code>taxId</code>,{' '}
        <code>language</code>, <code>line1</code>, <code>line2</code>, <code>city</code>, <code>region</code>, <code>postalCode</code>,{' '}
        <code>country</code> — as Settings → Export writes them. Nothing is added before you confirm; a customer already there
        (the same e-mail address) is left as it is.
      </p>
      <label className="field">
        <span className="field__label">CSV file</span>
        <input type="file" accept=".csv,text/csv" onChange={(e) => choose(e.target.files?.[0])} />
      </label>
      {preview.isError ? <Alert kind="error">{errorMessage(preview.error)}</Alert> : null}
      {importing.isError ? <Alert kind="error">{errorMessage(importing.error)}</Alert> : null}
      {report ? <ImportPreview report={report} /> : null}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={props.onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={!report || !csv || report.create === 0 || importing.isPending}
          onClick={() => csv && importing.mutate(csv)}
        >
          {importing.isPending ? 'Importing…' : report ? `Add ${report.create} customer${report.create === 1 ? '' : 's'}` : 'Add customers'}
        </button>
      </div>
    </div>
  );
}

function ImportPreview(props: { report: CustomerImportReport }) {
  const r = props.report;
  return (
    <>
      <p role="status">
        {r.rows} row{r.rows === 1 ? '' : 's'}: {r.create} new, {r.skip} already there, {r.invalid} not valid
        {r.invalid ? ' (those are left out; correct them in the file and import it again)' : ''}.
      </p>
      <div className="table-wrap">
        <table className="table table--compact" aria-label="Rows of the file">
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {r.items.map((item) => (
              <tr key={item.row} className={`import-row import-row--${item.status}`}>
                <td>{item.row}</td>
                <td dir="auto">{item.name ?? ''}</td>
                <td>{item.email ?? ''}</td>
                <td>
                  {STATUS[item.status] ?? item.status}
                  {item.reason ? <span className="muted small">: {item.reason}</span> : null}
                  {item.errors?.length ? (
                    <ul className="import-row__errors">
                      {item.errors.map((e, i) => (
                        <li key={i}>
                          {e.column}: {e.message}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
