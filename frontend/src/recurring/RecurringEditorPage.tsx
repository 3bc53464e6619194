import { useMemo, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError, newIdempotencyKey } from '../api/client';
import { recurringProfileChanged } from '../api/queries';
import type { RecurringProfile, Settings, Versioned } from '../api/types';
import { useQueryKeys } from '../app/business';
import { useApi } from '../app/session';
import { usePageTitle } from '../app/usePageTitle';
import { contentForm, CurrencyField, CustomerPicker, DiscountAndNotes, LineItems, LiveTotals, useNewCustomerDialog } from '../invoices/InvoiceContentFields';
import { Alert, ErrorState, Loading, errorMessage, useToast } from '../ui/feedback';
import { TextField } from '../ui/fields';
import { applyServerErrors } from '../ui/serverErrors';
import { emptyRecurringForm, formFromProfile, recurringField, recurringProblems, toRecurringInput, type RecurringForm } from './recurringForm';
import { RunPreview } from './RunPreview';
import { utcToday } from './schedule';
import { ActionField, ScheduleFields } from './ScheduleFields';

export function RecurringEditorPage() {
  const { profileId } = useParams();
  const [params] = useSearchParams();
  const api = useApi();
  const keys = useQueryKeys();
  usePageTitle(profileId ? 'Edit recurring invoice' : 'New recurring invoice');
  const existing = useQuery({
    queryKey: keys.recurringProfile(profileId ?? ''),
    queryFn: ({ signal }) => api.getRecurringProfile(profileId!, signal),
    enabled: Boolean(profileId),
  });
  const settings = useQuery({ queryKey: keys.settings, queryFn: ({ signal }) => api.getSettings(signal) });

  if (profileId && existing.isPending) return <div className="page"><Loading lines={8} label="Loading the recurring invoice…" /></div>;
  if (profileId && existing.isError) return <div className="page"><ErrorState error={existing.error} onRetry={() => existing.refetch()} /></div>;
  if (!profileId && settings.isPending) return <div className="page"><Loading lines={8} /></div>;
  return (
    <RecurringEditor
      key={existing.data?.etag ?? 'new'}
      existing={existing.data}
      settings={settings.data?.data}
      initialCustomerId={params.get('customerId') ?? ''}
      onReload={() => existing.refetch()}
    />
  );
}

function RecurringEditor(props: { existing?: Versioned<RecurringProfile>; settings?: Settings; initialCustomerId: string; onReload: () => void }) {
  const { existing } = props;
  const api = useApi();
  const keys = useQueryKeys();
  const navigate = useNavigate();
  const toast = useToast();
  const queryClient = useQueryClient();
  const idempotencyKey = useRef(newIdempotencyKey());
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const defaultValues = useMemo(
    () => (existing ? formFromProfile(existing.data) : emptyRecurringForm(props.settings, utcToday(), props.initialCustomerId)),
    [existing, props.settings, props.initialCustomerId],
  );
  const form = useForm<RecurringForm>({ defaultValues });
  const { register, handleSubmit, setError, clearErrors, formState } = form;
  const content = contentForm(form);
  const newCustomer = useNewCustomerDialog(content);

  const save = useMutation({
    mutationFn: (values: RecurringForm) => {
      const input = toRecurringInput(values);
      return existing
        ? api.updateRecurringProfile(existing.data.id, input, existing.etag)
        : api.createRecurringProfile(input, idempotencyKey.current);
    },
    onSuccess: (saved) => {
      idempotencyKey.current = newIdempotencyKey();
      recurringProfileChanged(queryClient, keys, saved);
      toast(existing ? 'The recurring invoice is saved.' : 'The recurring invoice is set up.');
      navigate(`/recurring/${saved.data.id}`);
    },
    onError: (error) => setUnplaced(applyServerErrors(error, setError, recurringField)),
  });

  const submit = handleSubmit((values) => {
    clearErrors();
    setUnplaced([]);
    const problems = recurringProblems(values);
    if (problems.length) {
      problems.forEach((p, i) => setError(p.field as never, { type: 'local', message: p.message }, { shouldFocus: i === 0 }));
      return;
    }
    save.mutate(values);
  });

  const e = formState.errors;
  const title = existing ? `Edit ${existing.data.name ?? 'recurring invoice'}` : 'New recurring invoice';
  const back = existing ? `/recurring/${existing.data.id}` : '/recurring';
  return (
    <div className="page">
      <div className="page__header">
        <h1 dir="auto">{title}</h1>
        <div className="page__actions">
          <Link to={back} className="button button--ghost">
            Cancel
          </Link>
        </div>
      </div>
      {existing?.data.status === 'Ended' ? (
        <Alert kind="info" title="This recurring invoice has ended">
          Change its schedule (a later end, or none) to continue it; it then runs from its next date after today.
        </Alert>
      ) : existing ? (
        <Alert kind="info">Changes apply from the next invoice; the invoices made so far stay as they are.</Alert>
      ) : null}
      {save.isError ? <SaveProblem error={save.error} unplaced={unplaced} onReload={props.onReload} /> : null}

      <form className="editor" noValidate onSubmit={submit} aria-label={title}>
        <section className="card editor__head" aria-label="Name, customer and terms">
          <TextField label="Name" placeholder="Monthly retainer" hint="For you: the customer does not see it." error={e.name?.message} {...register('name')} />
          <CustomerPicker form={content} errors={e} onAdd={newCustomer.open} />
          <div className="form-grid form-grid--3">
            <CurrencyField form={content} errors={e} />
            <TextField
              label="Payment terms (days)"
              inputMode="numeric"
              hint="Each invoice is due this many days after its date."
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

        <div className="editor__bottom">
          <ScheduleFields form={form} errors={e} />
          <RunPreview control={form.control} saved={existing?.data} />
        </div>

        <ActionField form={form} errors={e} />

        <div className="form-actions form-actions--sticky">
          <Link to={back} className="button button--ghost">
            Cancel
          </Link>
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : existing ? 'Save changes' : 'Start recurring invoice'}
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
        title="Someone changed this recurring invoice since you opened it"
        actions={<button type="button" className="button" onClick={props.onReload}>Reload their version</button>}
      >
        Nothing was saved (it may also have just made an invoice). Reloading replaces what you typed here with the latest version.
      </Alert>
    );
  return (
    <Alert kind="error" title={error instanceof ApiError && error.status === 422 ? 'Some fields need a look' : 'The recurring invoice was not saved'}>
      {errorMessage(error)}
      {props.unplaced.length ? ` (${props.unplaced.join(', ')})` : ''}
    </Alert>
  );
}
