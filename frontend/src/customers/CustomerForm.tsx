// Add or edit a customer. Validation is the API's: its problem's field pointers land next to the fields.
import { useEffect, useRef } from 'react';
import { useForm } from 'react-hook-form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, newIdempotencyKey } from '../api/client';
import { customerChanged } from '../api/queries';
import type { Customer, CustomerInput, Versioned } from '../api/types';
import { useApi } from '../app/session';
import { useQueryKeys } from '../app/business';
import { Alert, errorMessage } from '../ui/feedback';
import { SelectField, TextField } from '../ui/fields';
import { LanguagePreview } from '../ui/LanguagePreview';
import { LANGUAGES, languageLabel } from '../format/documentLanguage';
import { applyServerErrors } from '../ui/serverErrors';

interface CustomerFormValues {
  name: string;
  email: string;
  phone: string;
  taxId: string;
  /** '' = the business's language. */
  language: string;
  remindersEnabled: boolean;
  address: { line1: string; line2: string; city: string; region: string; postalCode: string; country: string };
}

function toValues(customer?: Customer): CustomerFormValues {
  const a = customer?.address ?? {};
  return {
    name: customer?.name ?? '',
    email: customer?.email ?? '',
    phone: customer?.phone ?? '',
    taxId: customer?.taxId ?? '',
    language: customer?.language ?? '',
    remindersEnabled: customer?.remindersEnabled !== false,
    address: { line1: a.line1 ?? '', line2: a.line2 ?? '', city: a.city ?? '', region: a.region ?? '', postalCode: a.postalCode ?? '', country: a.country ?? '' },
  };
}

const optional = (value: string) => (value.trim() ? value.trim() : undefined);

function toInput(values: CustomerFormValues): CustomerInput {
  const address = Object.fromEntries(Object.entries(values.address).map(([k, v]) => [k, optional(v)]).filter(([, v]) => v !== undefined));
  return {
    name: values.name.trim(),
    email: optional(values.email),
    phone: optional(values.phone),
    taxId: optional(values.taxId),
    language: optional(values.language),
    remindersEnabled: values.remindersEnabled,
    address: Object.keys(address).length ? address : undefined,
  };
}

export function CustomerForm(props: {
  customer?: Versioned<Customer>;
  onSaved: (customer: Versioned<Customer>) => void;
  onCancel?: () => void;
  onReload?: () => void;
  compact?: boolean;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const idempotencyKey = useRef(newIdempotencyKey());
  const form = useForm<CustomerFormValues>({ defaultValues: toValues(props.customer?.data) });
  const { register, handleSubmit, formState, setError, reset, watch } = form;
  const queryKeys = useQueryKeys();
  const settings = useQuery({ queryKey: queryKeys.settings, queryFn: ({ signal }) => api.getSettings(signal) });
  const businessLanguage = settings.data?.data.language ?? 'en';
  const chosenLanguage = watch('language') || businessLanguage;
  useEffect(() => reset(toValues(props.customer?.data)), [props.customer, reset]);

  const save = useMutation({
    mutationFn: (input: CustomerInput) =>
      props.customer ? api.updateCustomer(props.customer.data.id, input, props.customer.etag) : api.createCustomer(input, idempotencyKey.current),
    onSuccess: (saved) => {
      idempotencyKey.current = newIdempotencyKey();
      customerChanged(queryClient);
      props.onSaved(saved);
    },
    onError: (error) => applyServerErrors(error, setError, (path) => path),
  });

  const stale = save.error instanceof ApiError && save.error.isStale;
  const e = formState.errors;
  return (
    <form className="stack" noValidate onSubmit={handleSubmit((values) => save.mutate(toInput(values)))} aria-label={props.customer ? 'Edit customer' : 'New customer'}>
      {save.isError ? (
        stale ? (
          <Alert
            kind="warning"
            title="Someone else changed this customer first"
            actions={props.onReload ? <button type="button" className="button" onClick={props.onReload}>Reload</button> : null}
          >
            Nothing was saved. Reload to see their version, then make your change again.
          </Alert>
        ) : (
          <Alert kind="error">{errorMessage(save.error)}</Alert>
        )
      ) : null}
      <div className={props.compact ? 'form-grid form-grid--1' : 'form-grid'}>
        <TextField label="Name" dir="auto" autoComplete="organization" error={e.name?.message} {...register('name', { required: 'Enter the customer’s name.' })} wrapperClassName="span-2" />
        <TextField label="E-mail address" type="email" autoComplete="off" hint="Invoices are sent here." error={e.email?.message} {...register('email')} />
        <TextField label="Phone" type="tel" autoComplete="off" error={e.phone?.message} {...register('phone')} />
        <TextField label="Address line 1" autoComplete="off" error={e.address?.line1?.message} dir="auto" {...register('address.line1')} />
        <TextField label="Address line 2" autoComplete="off" error={e.address?.line2?.message} dir="auto" {...register('address.line2')} />
        <TextField label="Postal code" autoComplete="off" error={e.address?.postalCode?.message} {...register('address.postalCode')} />
        <TextField label="City" autoComplete="off" error={e.address?.city?.message} dir="auto" {...register('address.city')} />
        <TextField label="Region" autoComplete="off" error={e.address?.region?.message} dir="auto" {...register('address.region')} />
        <TextField label="Country" autoComplete="off" error={e.address?.country?.message} dir="auto" {...register('address.country')} />
        <TextField label="Tax id" hint="VAT or other tax number, printed on invoices." autoComplete="off" error={e.taxId?.message} {...register('taxId')} />
        <SelectField label="Invoice language" hint="The PDF and the e-mail this customer gets." error={e.language?.message} {...register('language')}>
          <option value="">Business default: {languageLabel(businessLanguage)}</option>
          {LANGUAGES.map((l) => (
            <option key={l.tag} value={l.tag} lang={l.tag}>
              {languageLabel(l.tag)}
            </option>
          ))}
        </SelectField>
        <LanguagePreview language={chosenLanguage} currency={settings.data?.data.defaultCurrency} businessName={settings.data?.data.businessName} />
        <label className="checkbox span-2">
          <input type="checkbox" {...register('remindersEnabled')} />
          Send this customer automatic payment reminders (your reminder plan in Settings)
        </label>
      </div>
      <div className="form-actions">
        {props.onCancel ? (
          <button type="button" className="button" onClick={props.onCancel}>
            Cancel
          </button>
        ) : null}
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : props.customer ? 'Save changes' : 'Add customer'}
        </button>
      </div>
    </form>
  );
}
