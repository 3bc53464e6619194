import type { QuoteStatus } from '../api/types';
import { quoteStatusLabel } from './quoteForm';

export function QuoteStatusChip(props: { status: QuoteStatus }) {
  return <span className={`chip chip--quote-${props.status.toLowerCase()}`}>{quoteStatusLabel[props.status]}</span>;
}
