// The schedule part of the recurring profile editor: how often, from when, on which day, until when; and what each run
// does with its invoice.
import { useWatch, type FieldErrors, type UseFormReturn } from 'react-hook-form';
import { SelectField, TextField } from '../ui/fields';
import { MAX_COUNT, MAX_INTERVAL, type RecurringForm } from './recurringForm';

type Props = { form: UseFormReturn<RecurringForm>; errors: FieldErrors<RecurringForm> };

export function ScheduleFields({ form, errors: e }: Props) {
  const { register, control } = form;
  const [unit, dayMode, endKind] = useWatch({ control, name: ['unit', 'dayMode', 'endKind'] });
  return (
    <section className="card schedule" aria-labelledby="schedule-title">
      <h2 id="schedule-title" className="card__title">
        Schedule
      </h2>
      <div className="form-grid form-grid--3">
        <TextField label="Every" inputMode="numeric" error={e.interval?.message} hint={`1 to ${MAX_INTERVAL}`} {...register('interval')} />
        <SelectField label="Period" error={e.unit?.message} {...register('unit')}>
          <option value="Week">weeks</option>
          <option value="Month">months</option>
          <option value="Quarter">quarters (3 months)</option>
          <option value="Year">years</option>
        </SelectField>
        <TextField label="Start date" type="date" error={e.startDate?.message} {...register('startDate')} />
      </div>
      {unit !== 'Week' ? (
        <fieldset className="choice-group">
          <legend className="field__label">On</legend>
          <label className="radio">
            <input type="radio" value="day" {...register('dayMode')} /> A day of the month
          </label>
          <label className="radio">
            <input type="radio" value="last" {...register('dayMode')} /> The last day of the month
          </label>
          {dayMode === 'day' ? (
            <TextField
              label="Day of the month"
              inputMode="numeric"
              placeholder="The start date’s day"
              hint="29, 30 or 31 fall on the last day of shorter months."
              error={e.dayOfMonth?.message}
              {...register('dayOfMonth')}
            />
          ) : null}
        </fieldset>
      ) : (
        <p className="muted small">Weekly runs fall on the start date’s weekday.</p>
      )}
      <fieldset className="choice-group">
        <legend className="field__label">Ends</legend>
        <label className="radio">
          <input type="radio" value="Never" {...register('endKind')} /> Never
        </label>
        <label className="radio">
          <input type="radio" value="AfterCount" {...register('endKind')} /> After a number of invoices
        </label>
        <label className="radio">
          <input type="radio" value="OnDate" {...register('endKind')} /> On a date
        </label>
        {endKind === 'AfterCount' ? (
          <TextField label="Number of invoices" inputMode="numeric" hint={`1 to ${MAX_COUNT}`} error={e.endCount?.message} {...register('endCount')} />
        ) : null}
        {endKind === 'OnDate' ? (
          <TextField label="Last date" type="date" hint="A run on this date still happens." error={e.endDate?.message} {...register('endDate')} />
        ) : null}
      </fieldset>
    </section>
  );
}

export function ActionField({ form, errors: e }: Props) {
  return (
    <section className="card">
      <fieldset className="choice-group">
      <legend className="card__title">On each date</legend>
      <label className="radio radio--described">
        <input type="radio" value="Draft" {...form.register('action')} />
        <span>
          <strong>Create a draft for review</strong>
          <span className="muted small"> You check it, then finalize and send it yourself.</span>
        </span>
      </label>
      <label className="radio radio--described">
        <input type="radio" value="FinalizeAndSend" {...form.register('action')} />
        <span>
          <strong>Finalize and send it</strong>
          <span className="muted small"> It gets the next number and is e-mailed to the customer at once.</span>
        </span>
      </label>
      {e.action?.message ? <p className="field__error" data-field-error>{e.action.message}</p> : null}
      </fieldset>
    </section>
  );
}
