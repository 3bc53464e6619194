import { useMemo, useRef, useState } from 'react';
import { useForm, useWatch, type Control, type FieldErrors, type UseFormRegister } from 'react-hook-form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError, newIdempotencyKey } from '../api/client';
import { invoiceChanged } from '../api/queries';
import type { Invoice, Settings, Versioned } from '../api/types';
import { useApi } from '../app/session';
import { useQueryKeys } from '../app/business';
import { usePageTitle } from '../app/usePageTitle';
import { formatDate } from '../format/format';
import { Alert, ErrorState, Loading, errorMessage, useToast } from '../ui/feedback';
import { TextField } from '../ui/fields';
import { applyServerErrors } from '../ui/serverErrors';
import { contentForm, CurrencyField, CustomerPicker, DiscountAndNotes, LineItems, LiveTotals, useNewCustomerDialog } from './InvoiceContentFields';
import { editorField, effectiveDueDate, emptyForm, formFromInvoice, localProblems, toInvoiceInput, type InvoiceForm } from './invoiceForm';

export function InvoiceEditorPage() {
  const { invoiceId } = useParams();
  const [params] = useSearchParams();
  const api = useApi();
  const keys = useQueryKeys();
  usePageTitle(invoiceId ? 'Edit invoice' : 'New invoice');
  const existing = useQuery({
    queryKey: keys.invoice(invoiceId ?? ''),
    queryFn: ({ signal }) => api.getInvoice(invoiceId!, signal),
    enabled: Boolean(invoiceId),
  });
  const settings = useQuery({ queryKey: keys.settings, queryFn: ({ signal }) => api.getSettings(signal) });

  if (invoiceId && existing.isPending) return <div className="page"><Loading lines={8} label="Loading the invoice…" /></div>;
  if (invoiceId && existing.isError) return <div className="page"><ErrorState error={existing.error} onRetry={() => existing.refetch()} /></div>;
  if (!invoiceId && settings.isPending) return <div className="page"><Loading lines={8} /></div>;
  if (existing.data?.data.status === 'Void')
    return (
      <div className="page">
        <h1>This invoice is void</h1>
        <p>
          A void invoice cannot be edited. <Link to={`/invoices/${invoiceId}`}>Back to the invoice</Link>
        </p>
      </div>
    );
  return (
    <InvoiceEditor
      key={existing.data?.etag ?? 'new'}
      existing={existing.data}
      settings={settings.data?.data}
      initialCustomerId={params.get('customerId') ?? ''}
      onReload={() => existing.refetch()}
    />
  );
}

function InvoiceEditor(props: { existing?: Versioned<Invoice>; settings?: Settings; initialCustomerId: string; onReload: () => void }) {
  const { existing, settings } = props;
  const api = useApi();
  const keys = useQueryKeys();
  const navigate = useNavigate();
  const toast = useToast();
  const queryClient = useQueryClient();
  const idempotencyKey = useRef(newIdempotencyKey());
  const locked = Boolean(existing && existing.data.status !== 'Draft');
  const [unplaced, setUnplaced] = useState<string[]>([]);

  const defaultValues = useMemo(
    () => (existing ? formFromInvoice(existing.data) : emptyForm(settings, props.initialCustomerId)),
    [existing, settings, props.initialCustomerId],
  );
  const form = useForm<InvoiceForm>({ defaultValues });
  const { register, control, handleSubmit, setError, formState, clearErrors } = form;
  const content = contentForm(form);
  const newCustomer = useNewCustomerDialog(content);

  const save = useMutation({
    mutationFn: (values: InvoiceForm) => {
      // A finalized invoice takes only new notes and a new due date; everything else goes back as it was
      // (its inputs are disabled, and disabled inputs have no form values).
      const input = toInvoiceInput(
        existing && locked
          ? { ...formFromInvoice(existing.data), ...pickDue(values) }
          : values,
      );
      return existing ? api.updateInvoice(existing.data.id, input, existing.etag) : api.createInvoice(input, idempotencyKey.current);
    },
    onSuccess: (saved) => {
      idempotencyKey.current = newIdempotencyKey();
      invoiceChanged(queryClient, keys, saved);
      toast(existing ? 'The invoice is saved.' : 'The draft is saved.');
      navigate(`/invoices/${saved.data.id}`);
    },
    onError: (error) => setUnplaced(applyServerErrors(error, setError, editorField)),
  });

  const submit = handleSubmit((values) => {
    clearErrors();
    setUnplaced([]);
    const problems = locked && existing ? localProblems({ ...formFromInvoice(existing.data), ...pickDue(values) }) : localProblems(values);
    if (problems.length) {
      problems.forEach((p, i) => setError(p.field as never, { type: 'local', message: p.message }, { shouldFocus: i === 0 }));
      return;
    }
    save.mutate(values);
  });

  const e = formState.errors;
  const stale = save.error instanceof ApiError && save.error.isStale;
  const title = existing ? (existing.data.number ? `Edit ${existing.data.number}` : 'Edit draft') : 'New invoice';

  return (
    <div className="page">
      <div className="page__header">
        <h1>{title}</h1>
        <div className="page__actions">
          <Link to={existing ? `/invoices/${existing.data.id}` : '/invoices'} className="button button--ghost">
            Cancel
          </Link>
        </div>
      </div>
      {locked ? (
        <Alert kind="info" title="This invoice is finalized">
          Only its notes and due date can still change. To change anything else, void it and issue a new one.
        </Alert>
      ) : null}
      {save.isError ? (
        stale ? (
          <Alert
            kind="warning"
            title="Someone changed this invoice since you opened it"
            actions={<button type="button" className="button" onClick={props.onReload}>Reload their version</button>}
          >
            Nothing was saved. Reloading replaces what you typed here with the latest version.
          </Alert>
        ) : (
          <Alert kind="error" title={save.error instanceof ApiError && save.error.status === 422 ? 'Some fields need a look' : 'The invoice was not saved'}>
            {errorMessage(save.error)}
            {unplaced.length ? ` (${unplaced.join(', ')})` : ''}
          </Alert>
        )
      ) : null}

      <form className="editor" noValidate onSubmit={submit} aria-label={title}>
        <section className="card editor__head" aria-label="Customer and dates">
          <CustomerPicker
            form={content}
            errors={e}
            locked={locked}
            onAdd={newCustomer.open}
            current={existing ? { id: existing.data.customerId, name: existing.data.customer.name } : undefined}
          />
          <div className="form-grid form-grid--3">
            <CurrencyField form={content} errors={e} locked={locked} />
            <TextField label="Issue date" type="date" disabled={locked} error={e.issueDate?.message} {...register('issueDate')} />
            <DueFields control={control} register={register} errors={e} />
          </div>
        </section>

        <LineItems form={content} errors={e} locked={locked} />

        <div className="editor__bottom">
          <DiscountAndNotes form={content} errors={e} locked={locked} />
          <LiveTotals form={content} />
        </div>

        <div className="form-actions form-actions--sticky">
          <Link to={existing ? `/invoices/${existing.data.id}` : '/invoices'} className="button button--ghost">
            Cancel
          </Link>
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : existing && !locked ? 'Save draft' : existing ? 'Save changes' : 'Save draft'}
          </button>
        </div>
      </form>

      {newCustomer.dialog}
    </div>
  );
}

function DueFields(props: { control: Control<InvoiceForm>; register: UseFormRegister<InvoiceForm>; errors: FieldErrors<InvoiceForm> }) {
  const { control, register, errors } = props;
  const values = useWatch({ control, name: ['dueMode', 'issueDate', 'paymentTermsDays', 'dueDate'] });
  const [dueMode, issueDate, paymentTermsDays, dueDate] = values;
  const due = effectiveDueDate({ dueMode, issueDate, paymentTermsDays, dueDate });
  return (
    <fieldset className="due">
      <legend className="field__label">Due</legend>
      <div className="due__modes">
        <label className="radio">
          <input type="radio" value="terms" {...register('dueMode')} /> Payment terms
        </label>
        <label className="radio">
          <input type="radio" value="date" {...register('dueMode')} /> A date
        </label>
      </div>
      {dueMode === 'terms' ? (
        <TextField
          label="Days after the issue date"
          inputMode="numeric"
          error={errors.paymentTermsDays?.message}
          hint={due ? `Due ${formatDate(due)}` : undefined}
          {...register('paymentTermsDays')}
        />
      ) : (
        <TextField label="Due date" type="date" error={errors.dueDate?.message} {...register('dueDate')} />
      )}
    </fieldset>
  );
}

function pickDue(values: InvoiceForm) {
  return { notes: values.notes, dueMode: values.dueMode, paymentTermsDays: values.paymentTermsDays ?? '', dueDate: values.dueDate ?? '' };
}
