// How an invoice reads in a language, shown next to the language picker: its title, number, a date and an amount
// exactly as the PDF and the e-mail print them (from the server's own language files), laid out in the language's
// direction.
import { useQuery } from '@tanstack/react-query';
import { languageLabel, loadLanguage } from '../format/documentLanguage';

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function LanguagePreview(props: { language: string; currency?: string; businessName?: string }) {
  const language = useQuery({ queryKey: ['document-language', props.language], queryFn: () => loadLanguage(props.language), staleTime: Infinity });
  const currency = props.currency ?? 'EUR';
  const business = props.businessName?.trim() || 'SmallPay';
  return (
    <figure className="language-preview" aria-label={`How invoices read in ${languageLabel(props.language)}`}>
      <figcaption>Preview: {languageLabel(props.language)}</figcaption>
      {language.data ? (
        <div lang={language.data.tag} dir={language.data.rightToLeft ? 'rtl' : 'ltr'} className="language-preview__sheet">
          <p className="language-preview__title">
            <strong>{language.data.get('invoice.title')}</strong> <bdi>INV-000042</bdi>
          </p>
          <dl>
            <dt>{language.data.get('invoice.issueDate')}</dt>
            <dd>{language.data.date(today())}</dd>
            <dt>{language.data.get('invoice.total')}</dt>
            <dd>
              <bdi>{language.data.money(1234.5, currency)}</bdi>
            </dd>
          </dl>
          <p className="language-preview__mail">{language.data.text('mail.subject', { number: 'INV-000042', business })}</p>
        </div>
      ) : (
        <div className="language-preview__sheet" aria-busy="true">…</div>
      )}
    </figure>
  );
}
