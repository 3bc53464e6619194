import { useMemo, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError, newIdempotencyKey } from '../api/client';
import { quoteChanged } from '../api/queries';
import type { Quote, Settings, Versioned } from '../api/types';
import { useQueryKeys } from '../app/business';
import { useApi } from '../app/session';
import { usePageTitle } from '../app/usePageTitle';
import { contentForm, CurrencyField, CustomerPicker, DiscountAndNotes, LineItems, LiveTotals, useNewCustomerDialog } from '../invoices/InvoiceContentFields';
import { Alert, ErrorState, Loading, errorMessage, useToast } from '../ui/feedback';
import { TextField } from '../ui/fields';
import { applyServerErrors } from '../ui/serverErrors';
import { emptyQuoteForm, formFromQuote, quoteField, quoteProblems, toQuoteInput, type QuoteForm } from './quoteForm';

export function QuoteEditorPage() {
  const { quoteId } = useParams();
  const [params] = useSearchParams();
  const api = useApi();
  const keys = useQueryKeys();
  usePageTitle(quoteId ? 'Edit quote' : 'New quote');
  const existing = useQuery({ queryKey: keys.quote(quoteId ?? ''), queryFn: ({ signal }) => api.getQuote(quoteId!, signal), enabled: Boolean(quoteId) });
  const settings = useQuery({ queryKey: keys.settings, queryFn: ({ signal }) => api.getSettings(signal) });

  if (quoteId && existing.isPending) return <div className="page"><Loading lines={8} label="Loading the quote…" /></div>;
  if (quoteId && existing.isError) return <div className="page"><ErrorState error={existing.error} onRetry={() => existing.refetch()} /></div>;
  if (!quoteId && settings.isPending) return <div className="page"><Loading lines={8} /></div>;
  return (
    <QuoteEditor
      key={existing.data?.etag ?? 'new'}
      existing={existing.data}
      settings={settings.data?.data}
      initialCustomerId={params.get('customerId') ?? ''}
      onReload={() => existing.refetch()}
    />
  );
}

function QuoteEditor(props: { existing?: Versioned<Quote>; settings?: Settings; initialCustomerId: string; onReload: () => void }) {
  const { existing } = props;
  const api = useApi();
  const keys = useQueryKeys();
  const navigate = useNavigate();
  const toast = useToast();
  const queryClient = useQueryClient();
  const idempotencyKey = useRef(newIdempotencyKey());
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const defaultValues = useMemo(
    () => (existing ? formFromQuote(existing.data) : emptyQuoteForm(props.settings, props.initialCustomerId)),
    [existing, props.settings, props.initialCustomerId],
  );
  const form = useForm<QuoteForm>({ defaultValues });
  const { register, handleSubmit, setError, clearErrors, formState } = form;
  const content = contentForm(form);
  const newCustomer = useNewCustomerDialog(content);

  const save = useMutation({
    mutationFn: (values: QuoteForm) => {
      const input = toQuoteInput(values);
      return existing ? api.updateQuote(existing.data.id, input, existing.etag) : api.createQuote(input, idempotencyKey.current);
    },
    onSuccess: (saved) => {
      idempotencyKey.current = newIdempotencyKey();
      quoteChanged(queryClient, keys, saved);
      toast(existing ? 'The quote is saved.' : 'The quote is saved as a draft.');
      navigate(`/quotes/${saved.data.id}`);
    },
    onError: (error) => setUnplaced(applyServerErrors(error, setError, quoteField)),
  });

  const submit = handleSubmit((values) => {
    clearErrors();
    setUnplaced([]);
    const problems = quoteProblems(values);
    if (problems.length) {
      problems.forEach((p, i) => setError(p.field as never, { type: 'local', message: p.message }, { shouldFocus: i === 0 }));
      return;
    }
    save.mutate(values);
  });

  const e = formState.errors;
  const title = existing ? 'Edit draft quote' : 'New quote';
  const back = existing ? `/quotes/${existing.data.id}` : '/quotes';
  return (
    <div className="page">
      <div className="page__header">
        <h1>{title}</h1>
        <div className="page__actions">
          <Link to={back} className="button button--ghost">
            Cancel
          </Link>
        </div>
      </div>
      {save.isError ? <SaveProblem error={save.error} unplaced={unplaced} onReload={props.onReload} /> : null}

      <form className="editor" noValidate onSubmit={submit} aria-label={title}>
        <section className="card editor__head" aria-label="Customer, dates and terms">
          <CustomerPicker form={content} errors={e} onAdd={newCustomer.open} />
          <div className="form-grid form-grid--3">
            <CurrencyField form={content} errors={e} />
            <TextField label="Date" type="date" error={e.issueDate?.message} {...register('issueDate')} />
            <TextField label="Valid until" type="date" hint="The last day the customer can accept it." error={e.validUntil?.message} {...register('validUntil')} />
          </div>
          <div className="form-grid form-grid--3">
            <TextField
              label="Payment terms (days)"
              inputMode="numeric"
              hint="For the invoice the quote becomes."
              error={e.paymentTermsDays?.message}
              {...register('paymentTermsDays')}
            />
          </div>
        </section>

        <LineItems form={content} errors={e} />

        <div className="editor__bottom">
          <DiscountAndNotes form={content} errors={e} />
          <LiveTotals form={content} />
        </div>

        <div className="form-actions form-actions--sticky">
          <Link to={back} className="button button--ghost">
            Cancel
          </Link>
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : existing ? 'Save changes' : 'Save draft'}
          </button>
        </div>
      </form>
      {newCustomer.dialog}
    </div>
  );
}

function SaveProblem(props: { error: unknown; unplaced: string[]; onReload: () => void }) {
  const { error } = props;
  if (error instanceof ApiError && error.isStale)
    return (
      <Alert
        kind="warning"
        title="Someone changed this quote since you opened it"
        actions={<button type="button" className="button" onClick={props.onReload}>Reload their version</button>}
      >
        Nothing was saved. Reloading replaces what you typed here with the latest version.
      </Alert>
    );
  return (
    <Alert kind="error" title={error instanceof ApiError && error.status === 422 ? 'Some fields need a look' : 'The quote was not saved'}>
      {errorMessage(error)}
      {props.unplaced.length ? ` (${props.unplaced.join(', ')})` : ''}
    </Alert>
  );
}
