// The parts of the invoice editor that a recurring profile's editor uses too: the customer (with "New customer"), the
// currency, the line items, the discount and notes, and the live totals. They work on any form whose model extends
// InvoiceContentForm (the same field names at the same paths); contentForm() gives them that view of it.
import { useMemo, useState } from 'react';
import { useFieldArray, useWatch, type FieldErrors, type UseFormReturn } from 'react-hook-form';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../app/session';
import { useQueryKeys } from '../app/business';
import { CustomerForm } from '../customers/CustomerForm';
import { formatMoney, formatPercent } from '../format/format';
import { currencyCodes } from '../money/currencies';
import { calculateTotals, type InvoiceTotals } from '../money/totals';
import { Dialog } from '../ui/Dialog';
import { useToast } from '../ui/feedback';
import { SelectField, TextAreaField, TextField } from '../ui/fields';
import { discountValueForCalculation, lineForCalculation, newLine, type InvoiceContentForm } from './invoiceForm';

type ContentForm = UseFormReturn<InvoiceContentForm>;

/** The shared fields' view of a form whose model extends InvoiceContentForm (safe: the same names at the same paths). */
export function contentForm<T extends InvoiceContentForm>(form: UseFormReturn<T>): ContentForm {
  return form as unknown as ContentForm;
}

const currencyNames = (() => {
  try {
    return new Intl.DisplayNames(undefined, { type: 'currency' });
  } catch {
    return null;
  }
})();

/** The customers to choose from (the first 100, by name), shared by the pickers and lists that name customers. */
export function useCustomerChoices() {
  const api = useApi();
  const keys = useQueryKeys();
  return useQuery({ queryKey: keys.customers({ limit: 100 }), queryFn: ({ signal }) => api.listCustomers({ limit: 100 }, signal) });
}

/**
 * Choose a customer; "New customer" calls `onAdd` (useNewCustomerDialog's open), whose dialog the page renders outside
 * its <form>: the customer form inside is a form of its own, and a submit would reach the outer one through React.
 * `current` names a customer no longer in the list.
 */
export function CustomerPicker(props: {
  form: ContentForm;
  errors: FieldErrors<InvoiceContentForm>;
  onAdd: () => void;
  locked?: boolean;
  current?: { id: string; name: string };
}) {
  const { form, errors, locked, current } = props;
  const customers = useCustomerChoices();
  const options = customers.data?.items ?? [];
  const chosen = useWatch({ control: form.control, name: 'customerId' });
  const known = options.some((c) => c.id === chosen);
  return (
    <div className="customer-pick">
      <SelectField label="Customer" disabled={locked} error={errors.customerId?.message} {...form.register('customerId')}>
        <option value="">Choose a customer…</option>
        {!known && current ? <option value={current.id}>{current.name}</option> : null}
        {options.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
            {c.email ? ` (${c.email})` : ''}
          </option>
        ))}
      </SelectField>
      {!locked ? (
        <button type="button" className="button customer-pick__new" onClick={props.onAdd}>
          New customer
        </button>
      ) : null}
    </div>
  );
}

/** The "New customer" dialog: the customer it saves is added to the choices and chosen. Render `dialog` outside the form. */
export function useNewCustomerDialog(form: ContentForm) {
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [adding, setAdding] = useState(false);
  const dialog = (
    <Dialog open={adding} title="New customer" onClose={() => setAdding(false)} wide>
      <CustomerForm
        onCancel={() => setAdding(false)}
        onSaved={(saved) => {
          // The list refetches; meanwhile make the new customer choosable and choose it.
          queryClient.setQueryData(keys.customers({ limit: 100 }), (page: { items: unknown[] } | undefined) =>
            page ? { ...page, items: [...page.items, saved.data] } : { items: [saved.data] },
          );
          form.setValue('customerId', saved.data.id, { shouldValidate: false, shouldDirty: true });
          form.clearErrors('customerId');
          setAdding(false);
          toast(`${saved.data.name} is added and chosen.`);
        }}
      />
    </Dialog>
  );
  return { open: () => setAdding(true), dialog };
}

export function CurrencyField(props: { form: ContentForm; errors: FieldErrors<InvoiceContentForm>; locked?: boolean }) {
  return (
    <SelectField label="Currency" disabled={props.locked} error={props.errors.currency?.message} {...props.form.register('currency')}>
      {currencyCodes.map((code) => (
        <option key={code} value={code}>
          {code}
          {currencyNames ? ` — ${currencyNames.of(code)}` : ''}
        </option>
      ))}
    </SelectField>
  );
}

export function LineItems(props: { form: ContentForm; errors: FieldErrors<InvoiceContentForm>; locked?: boolean }) {
  const { form, errors, locked = false } = props;
  const lines = useFieldArray({ control: form.control, name: 'lines' });
  const listError = (errors.lines as { message?: string } | undefined)?.message;
  return (
    <section className="card" aria-labelledby="lines-title">
      <h2 id="lines-title" className="card__title">
        Line items
      </h2>
      {listError ? (
        <p className="field__error" data-field-error>
          {listError}
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
            form={form}
            errors={errors}
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
  );
}

function LineRow(props: {
  index: number;
  count: number;
  locked: boolean;
  form: ContentForm;
  errors: FieldErrors<InvoiceContentForm>;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const { index, count, locked, form, errors } = props;
  const { register, control } = form;
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

/** The invoice discount and the notes, in one card. */
export function DiscountAndNotes(props: { form: ContentForm; errors: FieldErrors<InvoiceContentForm>; locked?: boolean }) {
  const { form, errors: e, locked } = props;
  return (
    <section className="card" aria-label="Discount and notes">
      <div className="form-grid">
        <SelectField label="Invoice discount" disabled={locked} error={e.discountKind?.message} {...form.register('discountKind')}>
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
          {...form.register('discountValue')}
        />
      </div>
      <TextAreaField label="Notes" rows={4} hint="Printed on the invoice: payment instructions, thanks." error={e.notes?.message} {...form.register('notes')} />
    </section>
  );
}

export function LiveTotals(props: { form: ContentForm }) {
  const [currency, lines, discountKind, discountValue] = useWatch({ control: props.form.control, name: ['currency', 'lines', 'discountKind', 'discountValue'] });
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
