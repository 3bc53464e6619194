// Settings → Reminders: the business's payment reminder plan. Each step falls before, on or after an invoice's due date
// (an after-due step may repeat), with its own subject and message; a preview fills the placeholders with an example.
import { useEffect } from 'react';
import { useFieldArray, useForm, useWatch, type Control, type FieldErrors, type UseFormRegister } from 'react-hook-form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client';
import type { ReminderStep, ReminderTiming, Settings } from '../api/types';
import { useApi } from '../app/session';
import { useBusiness, useQueryKeys } from '../app/business';
import { usePageTitle } from '../app/usePageTitle';
import { Alert, ErrorState, Loading, errorMessage, useToast } from '../ui/feedback';
import { SelectField, TextAreaField, TextField } from '../ui/fields';
import { applyServerErrors } from '../ui/serverErrors';
import { businessName, withArticle } from '../team/roles';
import { SettingsTabs } from './SettingsTabs';
import { keepSending } from './keepSending';
import { profileInput } from './SettingsPage';
import { describeStep, fillPlaceholders, PLACEHOLDERS, unknownPlaceholders } from './reminderText';

interface StepForm {
  timing: ReminderTiming;
  days: string;
  repeats: string;
  repeatEveryDays: string;
  subject: string;
  message: string;
}

interface PlanForm {
  enabled: boolean;
  steps: StepForm[];
}

const MAX_STEPS = 8;

const toForm = (s: Settings): PlanForm => ({
  enabled: s.reminders?.enabled ?? false,
  steps: (s.reminders?.steps ?? []).map((step) => ({
    timing: step.timing,
    days: String(step.days),
    repeats: String(step.repeats),
    repeatEveryDays: step.repeats > 0 ? String(step.repeatEveryDays) : '',
    subject: step.subject,
    message: step.message,
  })),
});

const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN);

function toStep(f: StepForm): ReminderStep {
  const repeats = f.timing === 'AfterDue' ? whole(f.repeats || '0') : 0;
  return {
    timing: f.timing,
    days: f.timing === 'OnDueDate' ? 0 : whole(f.days),
    repeats,
    repeatEveryDays: repeats > 0 ? whole(f.repeatEveryDays) : 0,
    subject: f.subject.trim(),
    message: f.message.trim(),
  };
}

/** An invoice to show the words with: what a customer would read. */
const EXAMPLE = { number: 'INV-000042', amountDue: '€1,201.61', dueDate: '15 March 2027', daysOverdue: 7, businessName: '', customerName: 'Müller GmbH' };

export function RemindersPage() {
  usePageTitle('Reminders');
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
          You are {withArticle(business.role)} of {businessName(business)}: you can read its reminder plan; only an owner can change it.
        </Alert>
      )}
      {settings.isPending ? (
        <Loading lines={8} label="Loading the reminder plan…" />
      ) : settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => settings.refetch()} />
      ) : (
        <PlanEditor settings={settings.data.data} etag={settings.data.etag} onReload={() => settings.refetch()} readOnly={!can.settings} />
      )}
    </div>
  );
}

function PlanEditor(props: { settings: Settings; etag: string; onReload: () => void; readOnly: boolean }) {
  const api = useApi();
  const keys = useQueryKeys();
  const toast = useToast();
  const queryClient = useQueryClient();
  const { register, control, handleSubmit, setError, formState, reset } = useForm<PlanForm>({ defaultValues: toForm(props.settings), disabled: props.readOnly });
  // A new version (saved here or elsewhere) replaces the form; a background refetch of the same version must not wipe
  // what is being typed, nor the errors shown next to it.
  useEffect(() => reset(toForm(props.settings)), [props.settings.version, reset]);
  const steps = useFieldArray({ control, name: 'steps' });
  const enabled = useWatch({ control, name: 'enabled' });

  const save = useMutation({
    mutationFn: (plan: PlanForm) =>
      api.updateSettings({ ...profileInput(props.settings), reminders: { enabled: plan.enabled, steps: plan.steps.map(toStep) } }, props.etag),
    onSuccess: (saved) => {
      queryClient.setQueryData(keys.settings, keepSending(saved, queryClient.getQueryData(keys.settings)));
      toast(saved.data.reminders?.enabled ? 'The reminder plan is saved: reminders go out by themselves.' : 'The reminder plan is saved; reminders are off.');
    },
    onError: (error) =>
      applyServerErrors(error, setError, (path) => {
        // /reminders/steps/1/days → steps.1.days; other settings' problems show in the alert.
        const match = /^reminders\.(enabled|steps(?:\.\d+(?:\.\w+)?)?)$/.exec(path);
        return match ? (match[1] as never) : null;
      }),
  });

  const submit = handleSubmit((values) => {
    let bad = false;
    values.steps.forEach((step, i) => {
      const check = (field: 'days' | 'repeats' | 'repeatEveryDays', text: string) => {
        if (!Number.isInteger(whole(text))) {
          setError(`steps.${i}.${field}`, { type: 'local', message: 'Enter a whole number of days.' }, { shouldFocus: !bad });
          bad = true;
        }
      };
      if (step.timing !== 'OnDueDate') check('days', step.days);
      if (step.timing === 'AfterDue' && whole(step.repeats || '0') > 0) check('repeatEveryDays', step.repeatEveryDays);
      if (step.timing === 'AfterDue') check('repeats', step.repeats || '0');
    });
    if (!bad) save.mutate(values);
  });

  const stale = save.error instanceof ApiError && save.error.isStale;
  return (
    <form className="stack" noValidate onSubmit={submit} aria-label="Reminder plan">
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
            Nothing was saved. Reload, then make your change again.
          </Alert>
        ) : (
          <Alert kind="error">{errorMessage(save.error)}</Alert>
        )
      ) : null}
      <section className="card" aria-labelledby="reminders-title">
        <h2 id="reminders-title" className="card__title">
          Payment reminders
        </h2>
        <p className="muted small">
          Each reminder is an e-mail to the customer with the current PDF and the balance due, sent from 08:00 UTC on its day. Nothing is sent
          once an invoice is paid or voided, to customers without an e-mail address, or where you turned reminders off (on the invoice or the
          customer). A step goes to an invoice at most once; when several fall due at once, only the latest is sent.
        </p>
        <label className="checkbox">
          <input type="checkbox" {...register('enabled')} />
          Send payment reminders automatically
        </label>
        {!enabled ? <p className="muted small">Off: no reminder goes out by itself. You can still send one from an invoice.</p> : null}
      </section>

      <ol className="reminder-steps" aria-label="Reminder steps">
        {steps.fields.map((field, index) => (
          <StepEditor
            key={field.id}
            index={index}
            control={control}
            register={register}
            errors={formState.errors}
            businessName={props.settings.businessName}
            readOnly={props.readOnly}
            onRemove={() => steps.remove(index)}
          />
        ))}
      </ol>
      {steps.fields.length === 0 ? <p className="muted">No steps yet: add one to say when reminders go out.</p> : null}

      {props.readOnly ? null : (
        <div className="form-actions">
          <button
            type="button"
            className="button"
            disabled={steps.fields.length >= MAX_STEPS}
            onClick={() =>
              steps.append({
                timing: 'AfterDue',
                days: '14',
                repeats: '0',
                repeatEveryDays: '',
                subject: 'Invoice {number} is overdue',
                message: 'Invoice {number} was due on {dueDate}; {amountDue} is still open.',
              })
            }
          >
            Add a step
          </button>
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save reminder plan'}
          </button>
        </div>
      )}
    </form>
  );
}

function StepEditor(props: {
  index: number;
  control: Control<PlanForm>;
  register: UseFormRegister<PlanForm>;
  errors: FieldErrors<PlanForm>;
  businessName: string;
  readOnly: boolean;
  onRemove: () => void;
}) {
  const { index: i, register } = props;
  const step = useWatch({ control: props.control, name: `steps.${i}` });
  const e = props.errors.steps?.[i];
  const values = { ...EXAMPLE, businessName: props.businessName || 'Your business' };
  const parsed = toStep(step);
  const when = Number.isNaN(parsed.days) || Number.isNaN(parsed.repeats) || Number.isNaN(parsed.repeatEveryDays) ? 'Step' : describeStep(parsed);
  const typo = [...unknownPlaceholders(step.subject), ...unknownPlaceholders(step.message)];
  return (
    <li className="card reminder-step" aria-label={`Step ${i + 1}: ${when}`}>
      <div className="reminder-step__header">
        <h3 className="card__title">{when}</h3>
        {props.readOnly ? null : (
          <button type="button" className="button button--danger-ghost" onClick={props.onRemove}>
            Remove
          </button>
        )}
      </div>
      <div className="form-grid">
        <SelectField label="When" error={e?.timing?.message} {...register(`steps.${i}.timing`)}>
          <option value="BeforeDue">Before the due date</option>
          <option value="OnDueDate">On the due date</option>
          <option value="AfterDue">After the due date</option>
        </SelectField>
        {step.timing === 'OnDueDate' ? null : (
          <TextField label={step.timing === 'BeforeDue' ? 'Days before' : 'Days after'} inputMode="numeric" error={e?.days?.message} {...register(`steps.${i}.days`)} />
        )}
        {step.timing === 'AfterDue' ? (
          <>
            <TextField label="Repeat, more times" inputMode="numeric" hint="0: once." error={e?.repeats?.message} {...register(`steps.${i}.repeats`)} />
            {whole(step.repeats || '0') > 0 ? (
              <TextField label="Every (days)" inputMode="numeric" error={e?.repeatEveryDays?.message} {...register(`steps.${i}.repeatEveryDays`)} />
            ) : null}
          </>
        ) : null}
        <TextField label="Subject" wrapperClassName="span-2" error={e?.subject?.message} {...register(`steps.${i}.subject`)} />
        <TextAreaField
          label="Message"
          rows={4}
          wrapperClassName="span-2"
          hint={`Placeholders: ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}. The e-mail greets the customer and signs with your business's name around it.`}
          error={e?.message?.message}
          {...register(`steps.${i}.message`)}
        />
      </div>
      {typo.length ? (
        <p className="field__error" role="alert">
          Not a placeholder: {typo.map((t) => `{${t}}`).join(', ')}
        </p>
      ) : null}
      <figure className="reminder-step__preview" aria-label={`Preview of step ${i + 1}`}>
        <figcaption className="muted small">What the customer reads (an example invoice)</figcaption>
        <p>
          <strong>{fillPlaceholders(step.subject, values)}</strong>
        </p>
        <p className="reminder-step__message">{fillPlaceholders(step.message, values)}</p>
      </figure>
    </li>
  );
}
