import { Link } from 'react-router';
import type { RecurringForecast } from '../api/types';
import { useAbilities } from '../app/business';
import { formatDate, formatMoney } from '../format/format';

/** What the active recurring profiles will bill in the next 30 days (GET /dashboard's `recurring`), per currency. */
export function RecurringForecastCard(props: { forecast: RecurringForecast }) {
  const { forecast } = props;
  const can = useAbilities();
  return (
    <section className="card" aria-labelledby="recurring-forecast-title" data-testid="recurring-forecast">
      <h2 id="recurring-forecast-title" className="card__title">
        Recurring, next 30 days
      </h2>
      {forecast.currencies.length ? (
        <ul className="forecast">
          {forecast.currencies.map((c) => (
            <li key={c.currency} className="forecast__currency">
              <span className="kpi__value money" data-testid={`recurring-forecast-${c.currency}`}>
                {formatMoney(c.amount, c.currency)}
              </span>
              <span className="muted small">
                {c.invoices === 1 ? '1 invoice' : `${c.invoices} invoices`} from {c.profiles === 1 ? '1 recurring invoice' : `${c.profiles} recurring invoices`}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No recurring invoice is due by {formatDate(forecast.until)}.</p>
      )}
      <p className="small">
        <Link to="/recurring">{can.write && !forecast.currencies.length ? 'Set up a recurring invoice' : 'Recurring invoices'}</Link>
        <span className="muted"> · {formatDate(forecast.from)} to {formatDate(forecast.until)}, with tax</span>
      </p>
    </section>
  );
}
