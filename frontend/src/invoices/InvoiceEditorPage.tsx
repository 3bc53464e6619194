import { useMemo, useRef, useState } from 'react';
import { useFieldArray, useForm, useWatch, type Control, type FieldErrors, type UseFormRegister } from 'react-hook-form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError, newIdempotencyKey } from '../api/client';
import { invoiceChanged } from '../api/queries';
import type { Invoice, Settings, Versioned } from '../api/types';
import { useApi } from '../app/session';
import { useQueryKeys } from '../app/business';
import { usePageTitle } from '../app/usePageTitle';
import { CustomerForm } from '../customers/CustomerForm';
import { formatDate, formatMoney, formatPercent } from '../format/format';
import { currencyCodes } from '../money/currencies';
import { calculateTotals, type InvoiceTotals } from '../money/totals';
import { Dialog } from '../ui/Dialog';
import { Alert, ErrorState, Loading, errorMessage, useToast } from '../ui/feedback';
import { SelectField, TextAreaField, TextField } from '../ui/fields';
import { applyServerErrors } from '../ui/serverErrors';
import {
  discountValueForCalculation, editorField, effectiveDueDate, emptyForm, formFromInvoice, lineForCalculation, localProblems, newLine,
  toInvoiceInput, type InvoiceForm,
} from './invoiceForm';

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

const currencyNames = (() => {
  try {
    return new Intl.DisplayNames(undefined, { type: 'currency' });
  } catch {
    return null;
  }
})();

function InvoiceEditor(props: { existing?: Versioned<Invoice>; settings?: Settings; initialCustomerId: string; onReload: () => void }) {
  const { existing, settings } = props;
  const api = useApi();
  const keys = useQueryKeys();
  const navigate = useNavigate();
  const toast = useToast();
  const queryClient = useQueryClient();
  const idempotencyKey = useRef(newIdempotencyKey());
  const locked = Boolean(existing && existing.data.status !== 'Draft');
  const [addingCustomer, setAddingCustomer] = useState(false);
  const [unplaced, setUnplaced] = useState<string[]>([]);

  const defaultValues = useMemo(
    () => (existing ? formFromInvoice(existing.data) : emptyForm(settings, props.initialCustomerId)),
    [existing, settings, props.initialCustomerId],
  );
  const form = useForm<InvoiceForm>({ defaultValues });
  const { register, control, handleSubmit, setError, setValue, formState, clearErrors } = form;
  const lines = useFieldArray({ control, name: 'lines' });
  const customers = useQuery({ queryKey: keys.customers({ limit: 100 }), queryFn: ({ signal }) => api.listCustomers({ limit: 100 }, signal) });

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
  const customerOptions = customers.data?.items ?? [];
  const currentCustomerId = useWatch({ control, name: 'customerId' });
  const knownCustomer = customerOptions.some((c) => c.id === currentCustomerId);

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
          <div className="customer-pick">
            <SelectField label="Customer" disabled={locked} error={e.customerId?.message} {...register('customerId')}>
              <option value="">Choose a customer…</option>
              {!knownCustomer && existing ? <option value={existing.data.customerId}>{existing.data.customer.name}</option> : null}
              {customerOptions.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                  {c.email ? ` (${c.email})` : ''}
                </option>
              ))}
            </SelectField>
            {!locked ? (
              <button type="button" className="button customer-pick__new" onClick={() => setAddingCustomer(true)}>
                New customer
              </button>
            ) : null}
          </div>
          <div className="form-grid form-grid--3">
            <SelectField label="Currency" disabled={locked} error={e.currency?.message} {...register('currency')}>
              {currencyCodes.map((code) => (
                <option key={code} value={code}>
                  {code}
                  {currencyNames ? ` — ${currencyNames.of(code)}` : ''}
                </option>
              ))}
            </SelectField>
            <TextField label="Issue date" type="date" disabled={locked} error={e.issueDate?.message} {...register('issueDate')} />
            <DueFields control={control} register={register} errors={e} />
          </div>
        </section>

        <section className="card" aria-labelledby="lines-title">
          <h2 id="lines-title" className="card__title">
            Line items
          </h2>
          {(e.lines as { message?: string } | undefined)?.message ? (
            <p className="field__error" data-field-error>
              {(e.lines as { message?: string }).message}
            </p>
          ) : null}
          <div className="lines" role="list">
            <div className="lines__header" aria-hidden="true">
              <span>Description</span>
              <span className="num">Quantity</span>
              <span className="num">Unit price</span>
              <span className="num">Discount %</span>
              <span className="num">Tax %</span>
              <span className="num">Amount</span>
              <span />
            </div>
            {lines.fields.map((field, index) => (
              <LineRow
                key={field.id}
                index={index}
                count={lines.fields.length}
                locked={locked}
                control={control}
                register={register}
                errors={e}
                onMove={(to) => lines.move(index, to)}
                onRemove={() => lines.remove(index)}
              />
            ))}
          </div>
          {!locked ? (
            <button
              type="button"
              className="button"
              onClick={() => {
                const previous = form.getValues(`lines.${lines.fields.length - 1}.taxRatePercent`);
                lines.append(newLine(previous ?? ''), { shouldFocus: true, focusName: `lines.${lines.fields.length}.description` });
              }}
            >
              Add a line
            </button>
          ) : null}
        </section>

        <div className="editor__bottom">
          <section className="card" aria-label="Discount and notes">
            <div className="form-grid">
              <SelectField label="Invoice discount" disabled={locked} error={e.discountKind?.message} {...register('discountKind')}>
                <option value="Percent">Percent of the subtotal</option>
                <option value="Amount">Fixed amount</option>
              </SelectField>
              <TextField
                label="Discount"
                inputMode="decimal"
                placeholder="0"
                disabled={locked}
                hint="Taken off before tax."
                error={e.discountValue?.message}
                {...register('discountValue')}
              />
            </div>
            <TextAreaField label="Notes" rows={4} hint="Printed on the invoice: payment instructions, thanks." error={e.notes?.message} {...register('notes')} />
          </section>
          <LiveTotals control={control} />
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

      <Dialog open={addingCustomer} title="New customer" onClose={() => setAddingCustomer(false)} wide>
        <CustomerForm
          onCancel={() => setAddingCustomer(false)}
          onSaved={(saved) => {
            // The list refetches; meanwhile make the new customer choosable and choose it.
            queryClient.setQueryData(keys.customers({ limit: 100 }), (page: { items: unknown[] } | undefined) =>
              page ? { ...page, items: [...page.items, saved.data] } : { items: [saved.data] },
            );
            setValue('customerId', saved.data.id, { shouldValidate: false, shouldDirty: true });
            clearErrors('customerId');
            setAddingCustomer(false);
            toast(`${saved.data.name} is added and chosen.`);
          }}
        />
      </Dialog>
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

function LineRow(props: {
  index: number;
  count: number;
  locked: boolean;
  control: Control<InvoiceForm>;
  register: UseFormRegister<InvoiceForm>;
  errors: FieldErrors<InvoiceForm>;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const { index, count, locked, control, register, errors } = props;
  const line = useWatch({ control, name: `lines.${index}` });
  const currency = useWatch({ control, name: 'currency' });
  const e = errors.lines?.[index];
  const n = index + 1;
  const calc = line ? lineForCalculation(line) : null;
  let amount = '—';
  if (calc) {
    try {
      amount = formatMoney(calculateTotals(currency, [calc], { kind: 'Percent', value: 0 }).lineAmounts[0], currency);
    } catch {
      amount = '—';
    }
  }
  return (
    <div className="line" role="listitem" aria-label={`Line ${n}`}>
      <TextField label={`Description, line ${n}`} wrapperClassName="line__description line-field" disabled={locked} error={e?.description?.message} {...register(`lines.${index}.description`)} />
      <TextField label="Quantity" wrapperClassName="line-field" inputMode="decimal" className="num" disabled={locked} error={e?.quantity?.message} {...register(`lines.${index}.quantity`)} />
      <TextField label="Unit price" wrapperClassName="line-field" inputMode="decimal" className="num" disabled={locked} error={e?.unitPrice?.message} {...register(`lines.${index}.unitPrice`)} />
      <TextField label="Discount %" wrapperClassName="line-field" inputMode="decimal" className="num" placeholder="0" disabled={locked} error={e?.discountPercent?.message} {...register(`lines.${index}.discountPercent`)} />
      <TextField label="Tax %" wrapperClassName="line-field" inputMode="decimal" className="num" placeholder="0" disabled={locked} error={e?.taxRatePercent?.message} {...register(`lines.${index}.taxRatePercent`)} />
      <div className="line__amount">
        <span className="line__amount-label">Amount</span>
        <output className="money" data-testid={`line-amount-${index}`}>{amount}</output>
      </div>
      {!locked ? (
        <div className="line__tools">
          <button type="button" className="icon-button" aria-label={`Move line ${n} up`} disabled={index === 0} onClick={() => props.onMove(index - 1)}>
            ↑
          </button>
          <button type="button" className="icon-button" aria-label={`Move line ${n} down`} disabled={index === count - 1} onClick={() => props.onMove(index + 1)}>
            ↓
          </button>
          <button type="button" className="icon-button icon-button--danger" aria-label={`Remove line ${n}`} onClick={props.onRemove}>
            ×
          </button>
        </div>
      ) : null}
    </div>
  );
}

function LiveTotals(props: { control: Control<InvoiceForm> }) {
  const [currency, lines, discountKind, discountValue] = useWatch({ control: props.control, name: ['currency', 'lines', 'discountKind', 'discountValue'] });
  const { totals, incomplete } = useMemo(() => {
    const calculable = (lines ?? []).map(lineForCalculation);
    const value = discountValueForCalculation({ discountValue: discountValue ?? '' });
    try {
      const result: InvoiceTotals = calculateTotals(currency, calculable.filter((l) => l !== null), { kind: discountKind, value: value ?? '0' });
      return { totals: result, incomplete: calculable.some((l) => l === null) || value === null };
    } catch {
      return { totals: null, incomplete: true };
    }
  }, [currency, lines, discountKind, discountValue]);
  return (
    <section className="card totals" aria-labelledby="totals-title" aria-live="polite">
      <h2 id="totals-title" className="card__title">
        Totals
      </h2>
      {totals ? (
        <dl className="totals__list">
          <div>
            <dt>Subtotal</dt>
            <dd className="money" data-testid="totals-subtotal">{formatMoney(totals.subtotal, currency)}</dd>
          </div>
          {totals.discount.gt(0) ? (
            <div>
              <dt>Discount</dt>
              <dd className="money" data-testid="totals-discount">−{formatMoney(totals.discount, currency)}</dd>
            </div>
          ) : null}
          {totals.taxes
            .filter((t) => t.ratePercent.gt(0))
            .map((t) => (
              <div key={t.ratePercent.toString()}>
                <dt>
                  Tax {formatPercent(t.ratePercent.toString())} <span className="muted small">on {formatMoney(t.taxable, currency)}</span>
                </dt>
                <dd className="money" data-testid={`totals-tax-${t.ratePercent.toString()}`}>{formatMoney(t.tax, currency)}</dd>
              </div>
            ))}
          <div className="totals__total">
            <dt>Total</dt>
            <dd className="money" data-testid="totals-total">{formatMoney(totals.total, currency)}</dd>
          </div>
        </dl>
      ) : (
        <p className="muted">Totals appear as you type.</p>
      )}
      {incomplete ? <p className="muted small">Lines with figures that are not numbers yet are left out.</p> : null}
      <p className="muted small">Calculated the way SmallPay&apos;s server calculates; the saved invoice shows its figures.</p>
    </section>
  );
}

function pickDue(values: InvoiceForm) {
  return { notes: values.notes, dueMode: values.dueMode, paymentTermsDays: values.paymentTermsDays ?? '', dueDate: values.dueDate ?? '' };
}
