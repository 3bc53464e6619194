import { useMemo } from 'react';
import { useWatch, type Control } from 'react-hook-form';
import type { RecurringProfile } from '../api/types';
import { formatDate } from '../format/format';
import { describeSchedule } from './describe';
import { previewRuns, scheduleFromForm, type RecurringForm } from './recurringForm';
import { utcToday } from './schedule';

/** The next run dates while the schedule is edited, calculated as the server will (recurring/schedule.ts). */
export function RunPreview(props: { control: Control<RecurringForm>; saved?: RecurringProfile }) {
  const { saved } = props;
  const values = useWatch({ control: props.control, name: ['unit', 'interval', 'startDate', 'dayMode', 'dayOfMonth', 'endKind', 'endCount', 'endDate'] });
  const [unit, interval, startDate, dayMode, dayOfMonth, endKind, endCount, endDate] = values;
  const schedule = useMemo(
    () => scheduleFromForm({ unit, interval, startDate, dayMode, dayOfMonth, endKind, endCount, endDate }),
    [unit, interval, startDate, dayMode, dayOfMonth, endKind, endCount, endDate],
  );
  const today = utcToday();
  const preview = previewRuns(schedule, today, saved);
  return (
    <section className="card run-preview" aria-labelledby="preview-title" aria-live="polite" data-testid="run-preview">
      <h2 id="preview-title" className="card__title">
        Next invoices
      </h2>
      {schedule ? <p className="run-preview__words" data-testid="schedule-words">{describeSchedule(schedule)}</p> : null}
      {!preview ? (
        <p className="muted">The dates appear once the schedule is complete.</p>
      ) : preview.dates.length === 0 ? (
        <p className="muted" data-testid="preview-none">
          {saved?.status === 'Paused' && preview.source === 'saved'
            ? 'None while paused: resume the profile to continue.'
            : 'No dates left: the schedule ends before the next one.'}
        </p>
      ) : (
        <ol className="run-preview__dates">
          {preview.dates.map((date) => (
            <li key={date} data-date={date}>
              <time dateTime={date}>{formatDate(date)}</time>
            </li>
          ))}
        </ol>
      )}
      {preview?.source === 'calculated' ? (
        <p className="muted small">
          {saved ? 'If saved now: the new schedule starts after the last invoice made.' : 'If saved today: dates before today are never invoiced.'}
        </p>
      ) : null}
    </section>
  );
}
