// Credit notes in a real browser against the local stack: on a finalized invoice's page the "Issue credit note" dialog
// (lines with quantities, or an amount; reason; live preview of the credit and of what is left to credit), the invoice's
// totals with Credited / Balance due / Owed to customer, the Credit notes list in the navigation, the credit note's page
// with a refund recorded against what it owes the customer, and the credit note prefix in Settings.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { MAILDEV_URL, apiCall, dependentSteps, launch, nav, newUserPage, shoot, signUpAndSignIn, uniqueEmail } from './harness.mjs';

let browser;
let page;
const pageErrors = [];
const state = { invoiceId: '', creditNoteId: '', customerEmail: '' };

before(async () => {
  browser = await launch();
  page = await newUserPage(browser, pageErrors);
});

after(async () => {
  await browser?.close();
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the pages');
});

const step = dependentSteps();

step('a paid invoice offers "Issue credit note"', async () => {
  await signUpAndSignIn(page, uniqueEmail('credit-notes'));
  const settings = await apiCall(page, 'GET', '/settings');
  assert.equal((await apiCall(page, 'PUT', '/settings', {
    body: { businessName: 'Atelier Sommer', email: 'hello@atelier-sommer.example', defaultCurrency: 'EUR' },
    headers: { 'If-Match': settings.etag },
  })).status, 200);
  state.customerEmail = uniqueEmail('credit-customer');
  const customer = await apiCall(page, 'POST', '/customers', { body: { name: 'Müller GmbH', email: state.customerEmail } });
  const invoice = await apiCall(page, 'POST', '/invoices', {
    body: {
      customerId: customer.body.id, currency: 'EUR',
      lines: [
        { description: 'Design work (hours)', quantity: 10, unitPrice: 95.5, discountPercent: 0, taxRatePercent: 19 },
        { description: 'Printed proofs', quantity: 4, unitPrice: 30, discountPercent: 0, taxRatePercent: 7 },
      ],
    },
  });
  assert.equal(invoice.status, 201);
  state.invoiceId = invoice.body.id;
  assert.equal((await apiCall(page, 'POST', `/invoices/${state.invoiceId}/finalize`)).status, 200);
  assert.equal((await apiCall(page, 'POST', `/invoices/${state.invoiceId}/payments`, { body: { amount: 1264.85 } })).status, 201); // 955 + 181.45 tax + 120 + 8.40 tax: all of it
  await page.goto(`${new URL(page.url()).origin}/invoices/${state.invoiceId}`);
  await page.getByRole('heading', { name: 'Credit notes', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Issue credit note' }).waitFor();
});

step('the dialog previews the credit and what is left, by lines and by amount', async () => {
  await page.getByRole('button', { name: 'Issue credit note' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('credit-left').waitFor();
  assert.equal(await dialog.getByTestId('credit-left').textContent(), '€1,264.85');
  await dialog.getByLabel('Credit quantity of Printed proofs').fill('2');
  assert.equal(await dialog.getByTestId('credit-preview-amount').textContent(), '€64.20'); // 2 × 30 + 7 % tax
  assert.equal(await dialog.getByTestId('credit-preview-left').textContent(), '€1,200.65');
  await dialog.getByLabel('Reason').fill('Two proofs were misprinted');
  await shoot(page, 'credit-note-dialog-lines');
  await dialog.getByRole('button', { name: 'An amount' }).click();
  await dialog.getByLabel(/^Amount, tax included/).fill('2000');
  await dialog.getByText('That is more than is left to credit on this invoice.').waitFor();
  await dialog.getByRole('button', { name: 'Lines and quantities' }).click();
  assert.equal(await dialog.getByTestId('credit-preview-amount').textContent(), '€64.20');
  await dialog.getByLabel('Send it to the customer by e-mail').check();
  await dialog.getByRole('button', { name: 'Issue credit note' }).click();
  await page.getByRole('heading', { name: 'Credit note CN-000001' }).waitFor();
  state.creditNoteId = page.url().split('/credit-notes/')[1];
  assert.match(state.creditNoteId, /^crn_[0-9A-Z]{26}$/);
});

step('the credit note was e-mailed once with its PDF, and its page shows the delivery', async () => {
  // The documents worker rendered the credit note and mailed it; the page watches the delivery until it settles.
  await page.getByTestId('credit-note-emails').getByText('Sent', { exact: true }).waitFor({ timeout: 45_000 });
  await page.getByTestId('credit-note-emails').getByText(/Delivered/).waitFor();
  await page.getByRole('button', { name: 'Download PDF' }).waitFor();
  await page.getByRole('button', { name: 'Send by e-mail' }).waitFor();
  if (MAILDEV_URL) {
    const list = await (await fetch(`${MAILDEV_URL}/api/email`)).json();
    const mails = list.filter((m) => m.to?.some((t) => t.address === state.customerEmail));
    assert.equal(mails.length, 1, 'one e-mail to the customer');
    assert.equal(mails[0].subject, 'Credit note CN-000001 from Atelier Sommer');
    assert.deepEqual(mails[0].attachments?.map((a) => [a.filename, a.contentType]), [['CreditNote-CN-000001.pdf', 'application/pdf']]);
  }
  const pdf = await apiCall(page, 'GET', `/credit-notes/${state.creditNoteId}/pdf`);
  assert.equal(pdf.status, 200);
  assert.match(pdf.body.url, new RegExp(`credit-notes/[^/]+/${state.creditNoteId}/v1\\.pdf`));
  await page.evaluate(() => document.fonts.ready);
  await shoot(page, 'credit-note-detail');
});

step('the credit note page shows what it owes the customer, and records a refund of it', async () => {
  assert.equal(await page.getByTestId('credit-note-total').textContent(), '€64.20');
  assert.equal(await page.getByTestId('credit-note-owed').textContent(), '€64.20'); // the invoice was paid: all of it goes back
  await page.getByRole('button', { name: 'Record a refund' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(/^Amount/).fill('64.21');
  await dialog.getByRole('button', { name: 'Record refund' }).click();
  await dialog.getByText(/more than is still owed/).waitFor(); // the server's 422, on the field
  await dialog.getByLabel(/^Amount/).fill('64.20');
  await dialog.getByRole('button', { name: 'Record refund' }).click();
  await page.getByText('The refund is recorded.').waitFor();
  await page.getByText('€0.00').first().waitFor();
  assert.equal(await page.getByTestId('credit-note-owed').textContent(), '€0.00');
  await page.getByRole('row', { name: /Bank transfer/ }).waitFor();
});

step('the invoice shows Credited, its balance and nothing owed any more; it can no longer be voided', async () => {
  await page.getByRole('link', { name: /^INV-000001$/ }).click();
  await page.getByTestId('invoice-credited').waitFor();
  // The page may first draw the invoice as cached before the refund, then the refetched one (the refund invalidated it).
  await page.getByTestId('invoice-owed').waitFor({ state: 'detached', timeout: 10_000 });
  assert.equal(await page.getByTestId('invoice-credited').textContent(), '−€64.20');
  assert.equal(await page.getByTestId('invoice-balance').textContent(), '€0.00');
  assert.equal(await page.getByTestId('invoice-owed').count(), 0, 'refunded in full: nothing owed');
  await page.getByTestId('invoice-credits').getByRole('link', { name: 'CN-000001' }).waitFor();
  await shoot(page, 'invoice-with-credit-note');
  const voided = await apiCall(page, 'POST', `/invoices/${state.invoiceId}/void`, { body: { reason: 'Mistake' } });
  assert.equal(voided.status, 409);
});

step('Credit notes is in the navigation and lists it', async () => {
  await nav(page, 'Credit notes').click();
  await page.getByRole('heading', { name: 'Credit notes', exact: true }).waitFor();
  const row = page.getByTestId(`credit-note-${state.creditNoteId}`);
  await row.waitFor();
  assert.match(await row.textContent(), /CN-000001.*INV-000001.*Müller GmbH.*Two proofs were misprinted/);
  await shoot(page, 'credit-notes');
});

step('the credit note prefix is in Settings', async () => {
  await nav(page, 'Settings').click();
  const prefix = page.getByLabel('Credit note prefix');
  await prefix.waitFor();
  assert.equal(await prefix.inputValue(), 'CN-');
  await page.getByText('The next credit note gets CN-000002.').waitFor();
});
