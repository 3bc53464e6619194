// Quotes in a real browser against the local stack: the list and the editor (the invoice editor's shared fields), the
// draft, sending it (a QUO- number, the e-mail through the documents pipeline to maildev with the link to its page),
// the customer's page of the quote (no sign-in, desktop and phone) accepted with a name, the owner seeing who accepted
// it, converting it into a draft invoice; and the customer's page of a sent invoice on both widths.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, DESKTOP, MAILDEV_URL, PHONE, apiCall, dependentSteps, launch, nav, newUserPage, shoot, signUpAndSignIn, uniqueEmail } from './harness.mjs';

let browser;
let page;
let customerPage;
const pageErrors = [];
const customer = { name: 'Müller & Partner GmbH', email: uniqueEmail('quote-customer') };
const quote = { id: '', link: '' };

before(async () => {
  browser = await launch();
  page = await newUserPage(browser, pageErrors);
  customerPage = await newUserPage(browser, pageErrors); // another browser profile: the customer, never signed in
});

after(async () => {
  await browser?.close();
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the pages');
});

const step = dependentSteps();

/** The page link of the latest e-mail to `to` whose subject starts with `subject` (maildev), on this stack's address. */
async function mailedLink(to, subject, timeout = 45_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const list = await (await fetch(`${MAILDEV_URL}/api/email`)).json();
    const mail = list.filter((m) => m.to?.some((t) => t.address === to) && m.subject?.startsWith(subject)).at(-1);
    const match = mail?.text?.match(/https?:\/\/\S+?(\/d\/[A-Za-z0-9_.%-]+)/);
    if (match) return `${BASE_URL}${match[1]}`;
    if (Date.now() > deadline) throw new Error(`no e-mail "${subject}…" with a page link reached ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

step('Quotes is in the main navigation; the list starts empty', async () => {
  await signUpAndSignIn(page, uniqueEmail('quotes'));
  const settings = await apiCall(page, 'GET', '/settings');
  assert.equal((await apiCall(page, 'PUT', '/settings', {
    body: { businessName: 'Atelier Sommer', email: 'hello@atelier-sommer.example', address: { line1: 'Oranienstraße 24', city: 'Berlin', postalCode: '10999', country: 'DE' } },
    headers: { 'If-Match': settings.etag },
  })).status, 200);
  const created = await apiCall(page, 'POST', '/customers', { body: { name: customer.name, email: customer.email } });
  assert.equal(created.status, 201);
  await nav(page, 'Quotes').click();
  await page.getByRole('heading', { name: 'Quotes', exact: true }).waitFor();
  await page.getByRole('heading', { name: 'No quotes yet' }).waitFor();
});

step('the editor has the invoice editor’s fields with a valid-until date; a draft has no number', async () => {
  await page.getByRole('link', { name: 'New quote' }).first().click();
  await page.getByRole('heading', { name: 'New quote' }).waitFor();
  await page.getByLabel('Customer', { exact: true }).selectOption({ label: `${customer.name} (${customer.email})` });
  await page.getByLabel('Currency', { exact: true }).selectOption('EUR');
  const line = page.getByRole('listitem', { name: 'Line 1' });
  await line.getByLabel('Description, line 1', { exact: true }).fill('Brand strategy workshop');
  await line.getByLabel('Unit price', { exact: true }).fill('1200');
  await line.getByLabel('Tax %', { exact: true }).fill('19');
  await page.getByRole('button', { name: 'Add a line' }).click();
  const second = page.getByRole('listitem', { name: 'Line 2' });
  await second.getByLabel('Description, line 2', { exact: true }).fill('Logo design');
  await second.getByLabel('Unit price', { exact: true }).fill('2400');
  await second.getByLabel('Tax %', { exact: true }).fill('19');
  assert.equal(await page.getByTestId('totals-total').textContent(), '€4,284.00');
  const validUntil = page.getByLabel('Valid until', { exact: true });
  assert.match(await validUntil.inputValue(), /^\d{4}-\d{2}-\d{2}$/, 'valid-until defaults to 30 days on');
  await shoot(page, 'quote-editor');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByRole('heading', { name: /^Draft quote/ }).waitFor();
  quote.id = page.url().split('/quotes/')[1];
  await page.getByText(/it gets its number \(QUO-000001\) when you send it/).waitFor();
});

step('sending gives it QUO-000001 and mails it with the link to its page', async () => {
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Send the quote by e-mail' });
  assert.equal(await dialog.getByLabel('To').inputValue(), customer.email);
  await dialog.getByRole('button', { name: 'Send', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByRole('heading', { name: /^Quote QUO-000001/ }).waitFor();
  await page.getByRole('list', { name: 'E-mails' }).getByText('Sent', { exact: true }).waitFor({ timeout: 45_000 });
  await page.getByText('Not opened yet').waitFor();
  await shoot(page, 'quote-sent');
  if (!MAILDEV_URL) return;
  quote.link = await mailedLink(customer.email, 'Quote QUO-000001');
});

step('the customer’s page of the quote shows it without sign-in, on desktop and phone, and accepts it with a name', async (t) => {
  if (!quote.link) return t.skip('no mail sink: the page link is in the e-mail');
  await customerPage.goto(quote.link);
  await customerPage.getByRole('heading', { name: 'Quote QUO-000001' }).waitFor();
  await customerPage.getByText('Brand strategy workshop').waitFor();
  assert.equal(await customerPage.locator('script').count(), 0, 'no scripts on the customer page');
  await shoot(customerPage, 'customer-page-quote');
  await customerPage.setViewportSize(PHONE);
  // Without a name the browser's own check stops the form (no script); the server would answer 422 too.
  await customerPage.getByRole('button', { name: 'Accept' }).click();
  assert.equal(await customerPage.getByLabel('Your name').evaluate((input) => input.validity.valueMissing), true);
  await customerPage.getByLabel('Your name').fill('Anna Müller');
  await customerPage.getByRole('button', { name: 'Accept' }).click();
  await customerPage.getByText(/^Accepted by Anna Müller on /).waitFor();
  assert.equal(await customerPage.locator('form').count(), 0, 'answered: no form any more');
  await customerPage.setViewportSize(DESKTOP);
  await shoot(customerPage, 'customer-page-quote-accepted');
});

step('the owner sees it viewed and accepted, and converts it once into a draft invoice', async (t) => {
  if (!quote.link) return t.skip('no mail sink');
  await page.goto(`${BASE_URL}/quotes/${quote.id}`);
  await page.getByRole('heading', { name: /^Quote QUO-000001/ }).waitFor();
  await page.getByText('Accepted by Anna Müller').first().waitFor();
  await page.getByRole('list', { name: 'What happened' }).getByText('Viewed by the customer').waitFor();
  await shoot(page, 'quote-accepted');
  await page.getByRole('button', { name: 'Convert to invoice' }).click();
  const dialog = page.getByRole('dialog', { name: 'Convert into an invoice?' });
  await dialog.getByRole('button', { name: 'Convert to invoice' }).click();
  await page.getByRole('heading', { name: /^Draft invoice/ }).waitFor();
  assert.equal(await page.getByTestId('invoice-total').textContent(), '€4,284.00');
  const again = await apiCall(page, 'POST', `/quotes/${quote.id}/convert`);
  assert.equal(again.status, 409, 'a quote converts once');
  await nav(page, 'Quotes').click();
  const row = page.getByTestId(`quote-${quote.id}`);
  await row.getByText('Converted').waitFor();
  await shoot(page, 'quotes-list');
});

step('the customer’s page of a sent invoice, on desktop and phone', async (t) => {
  const customerId = (await apiCall(page, 'GET', '/customers')).body.items[0].id;
  const invoice = await apiCall(page, 'POST', '/invoices', {
    body: { customerId, currency: 'EUR', paymentTermsDays: 14, lines: [{ description: 'Brand strategy workshop', quantity: 1, unitPrice: 1200, taxRatePercent: 19 }], notes: 'Please pay by bank transfer to DE89 3704 0044 0532 0130 00.' },
  });
  assert.equal(invoice.status, 201);
  const sent = await apiCall(page, 'POST', `/invoices/${invoice.body.id}/send`, { body: {} });
  assert.equal(sent.status, 202);
  if (!MAILDEV_URL) return t.skip('no mail sink: the page link is in the e-mail');
  const link = await mailedLink(customer.email, `Invoice ${sent.body.number}`);
  await customerPage.goto(link);
  await customerPage.getByRole('heading', { name: `Invoice ${sent.body.number}` }).waitFor();
  await customerPage.getByText('1,428.00 EUR').first().waitFor();
  await shoot(customerPage, 'customer-page-invoice');
});
