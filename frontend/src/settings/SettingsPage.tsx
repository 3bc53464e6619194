import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client';
import type { Settings, SettingsInput } from '../api/types';
import { useApi } from '../app/session';
import { useBusiness, useQueryKeys } from '../app/business';
import { usePageTitle } from '../app/usePageTitle';
import { currencyCodes } from '../money/currencies';
import { Alert, ErrorState, Loading, errorMessage, useToast } from '../ui/feedback';
import { SelectField, TextField } from '../ui/fields';
import { LanguagePreview } from '../ui/LanguagePreview';
import { LANGUAGES, languageLabel } from '../format/documentLanguage';
import { applyServerErrors } from '../ui/serverErrors';
import { businessName, withArticle } from '../team/roles';
import { SettingsTabs } from './SettingsTabs';
import { EmailVerificationCard } from './EmailVerificationCard';
import { SendingCard } from './SendingCard';
import { keepSending } from './keepSending';

interface SettingsForm {
  businessName: string;
  email: string;
  phone: string;
  taxId: string;
  address: { line1: string; line2: string; city: string; region: string; postalCode: string; country: string };
  defaultCurrency: string;
  paymentTermsDays: string;
  numberPrefix: string;
  nextNumber: string;
  creditNotePrefix: string;
  language: string;
}

function toForm(s: Settings): SettingsForm {
  const a = s.address ?? {};
  return {
    businessName: s.businessName ?? '',
    email: s.email ?? '',
    phone: s.phone ?? '',
    taxId: s.taxId ?? '',
    address: { line1: a.line1 ?? '', line2: a.line2 ?? '', city: a.city ?? '', region: a.region ?? '', postalCode: a.postalCode ?? '', country: a.country ?? '' },
    defaultCurrency: s.defaultCurrency,
    paymentTermsDays: String(s.paymentTermsDays),
    numberPrefix: s.numberPrefix,
    nextNumber: String(s.nextNumber),
    creditNotePrefix: s.creditNotePrefix ?? 'CN-',
    language: s.language ?? 'en',
  };
}

const optional = (v: string) => (v.trim() ? v.trim() : undefined);

function toInput(f: SettingsForm): SettingsInput {
  const address = Object.fromEntries(Object.entries(f.address).map(([k, v]) => [k, optional(v)]).filter(([, v]) => v !== undefined));
  return {
    businessName: optional(f.businessName),
    email: optional(f.email),
    phone: optional(f.phone),
    taxId: optional(f.taxId),
    address: Object.keys(address).length ? address : undefined,
    defaultCurrency: f.defaultCurrency,
    paymentTermsDays: Number(f.paymentTermsDays),
    numberPrefix: f.numberPrefix.trim(),
    nextNumber: Number(f.nextNumber),
    creditNotePrefix: f.creditNotePrefix.trim(),
    language: f.language,
  };
}

/** The whole profile as PUT /settings takes it (it clears what is left out): other settings pages send it unchanged. */
export function profileInput(settings: Settings): SettingsInput {
  return toInput(toForm(settings));
}

function previewNumber(prefix: string, next: string): string {
  const n = Number(next);
  return Number.isInteger(n) && n > 0 ? `${prefix}${String(n).padStart(6, '0')}` : '—';
}

export function SettingsPage() {
  usePageTitle('Settings');
  const api = useApi();
  const keys = useQueryKeys();
  const settings = useQuery({ queryKey: keys.settings, queryFn: ({ signal }) => api.getSettings(signal) });
  const { business, can } = useBusiness();
  return (
    <div className="page page--narrow">
      <div className="page__header">
        <h1>Settings</h1>
      </div>
      <SettingsTabs />
      {can.settings ? null : (
        <Alert kind="info">
          You are {withArticle(business.role)} of {businessName(business)}: you can read its settings; only an owner can change them.
        </Alert>
      )}
      {settings.isPending ? (
        <Loading lines={8} label="Loading the settings…" />
      ) : settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => settings.refetch()} />
      ) : (
        <>
          <SettingsEditor settings={settings.data.data} etag={settings.data.etag} onReload={() => settings.refetch()} readOnly={!can.settings} />
          <EmailVerificationCard settings={settings.data.data} readOnly={!can.settings} />
          <SendingCard settings={settings.data.data} />
        </>
      )}
    </div>
  );
}

function SettingsEditor(props: { settings: Settings; etag: string; onReload: () => void; readOnly: boolean }) {
  const api = useApi();
  const keys = useQueryKeys();
  const toast = useToast();
  const queryClient = useQueryClient();
  const { register, handleSubmit, setError, formState, reset, watch } = useForm<SettingsForm>({ defaultValues: toForm(props.settings), disabled: props.readOnly });
  // A new version (saved here or elsewhere) replaces the form; a background refetch of the same version must not wipe
  // what is being typed, nor the errors shown next to it.
  useEffect(() => reset(toForm(props.settings)), [props.settings.version, reset]);

  const save = useMutation({
    mutationFn: (input: SettingsInput) => api.updateSettings(input, props.etag),
    onSuccess: (saved) => {
      queryClient.setQueryData(keys.settings, keepSending(saved, queryClient.getQueryData(keys.settings)));
      toast('The settings are saved.');
    },
    onError: (error) => applyServerErrors(error, setError, (path) => path),
  });
  const submit = handleSubmit((values) => {
    let bad = false;
    if (!/^\d+$/.test(values.paymentTermsDays.trim())) {
      setError('paymentTermsDays', { type: 'local', message: 'Enter a whole number of days.' }, { shouldFocus: true });
      bad = true;
    }
    if (!/^\d+$/.test(values.nextNumber.trim())) {
      setError('nextNumber', { type: 'local', message: 'Enter a whole number.' }, { shouldFocus: !bad });
      bad = true;
    }
    if (!bad) save.mutate(toInput(values));
  });
  const e = formState.errors;
  const stale = save.error instanceof ApiError && save.error.isStale;
  return (
    <form className="stack" noValidate onSubmit={submit} aria-label="Settings">
      {save.isError ? (
        stale ? (
          <Alert
            kind="warning"
            title="The settings changed since you opened them"
            actions={
              <button type="button" className="button" onClick={() => { save.reset(); props.onReload(); }}>
                Reload
              </button>
            }
          >
            Nothing was saved. Finalizing an invoice advances the next number, which changes the settings too. Reload, then make your change again.
          </Alert>
        ) : (
          <Alert kind="error">{errorMessage(save.error)}</Alert>
        )
      ) : null}
      <section className="card" aria-labelledby="business-title">
        <h2 id="business-title" className="card__title">
          Your business
        </h2>
        <p className="muted small">Printed on every invoice.</p>
        <div className="form-grid">
          <TextField label="Business name" dir="auto" autoComplete="organization" error={e.businessName?.message} {...register('businessName')} wrapperClassName="span-2" />
          <TextField label="E-mail address" type="email" autoComplete="email" error={e.email?.message} {...register('email')} />
          <TextField label="Phone" type="tel" autoComplete="tel" error={e.phone?.message} {...register('phone')} />
          <TextField label="Address line 1" autoComplete="address-line1" error={e.address?.line1?.message} {...register('address.line1')} />
          <TextField label="Address line 2" autoComplete="address-line2" error={e.address?.line2?.message} {...register('address.line2')} />
          <TextField label="Postal code" autoComplete="postal-code" error={e.address?.postalCode?.message} {...register('address.postalCode')} />
          <TextField label="City" autoComplete="address-level2" error={e.address?.city?.message} {...register('address.city')} />
          <TextField label="Region" autoComplete="address-level1" error={e.address?.region?.message} {...register('address.region')} />
          <TextField label="Country" autoComplete="country-name" error={e.address?.country?.message} {...register('address.country')} />
          <TextField label="Tax id" hint="VAT or other tax number." error={e.taxId?.message} {...register('taxId')} />
        </div>
      </section>
      <section className="card" aria-labelledby="defaults-title">
        <h2 id="defaults-title" className="card__title">
          New invoices
        </h2>
        <div className="form-grid">
          <SelectField label="Default currency" error={e.defaultCurrency?.message} {...register('defaultCurrency')}>
            {currencyCodes.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </SelectField>
          <TextField label="Payment terms (days)" inputMode="numeric" error={e.paymentTermsDays?.message} {...register('paymentTermsDays')} />
          <SelectField label="Invoice language" hint="For customers without a language of their own." error={e.language?.message} {...register('language')}>
            {LANGUAGES.map((l) => (
              <option key={l.tag} value={l.tag} lang={l.tag}>
                {languageLabel(l.tag)}
              </option>
            ))}
          </SelectField>
          <LanguagePreview language={watch('language') || 'en'} currency={watch('defaultCurrency')} businessName={watch('businessName')} />
          <TextField
            label="Number prefix"
            hint="Up to 12 letters, digits or - _ / ."
            error={e.numberPrefix?.message}
            {...register('numberPrefix')}
          />
          <TextField
            label="Next number"
            inputMode="numeric"
            hint={`The next finalized invoice gets ${previewNumber(watch('numberPrefix'), watch('nextNumber'))}.`}
            error={e.nextNumber?.message}
            {...register('nextNumber')}
          />
          <TextField
            label="Credit note prefix"
            hint={`Up to 12 letters, digits or - _ / . The next credit note gets ${previewNumber(watch('creditNotePrefix'), String(props.settings.creditNoteNextNumber ?? 1))}.`}
            error={e.creditNotePrefix?.message}
            {...register('creditNotePrefix')}
          />
        </div>
      </section>
      {props.readOnly ? null : (
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save settings'}
          </button>
        </div>
      )}
    </form>
  );
}
