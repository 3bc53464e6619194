// CSV for the accountant in a real browser: Settings → Export downloads a file a spreadsheet opens as it is (UTF-8 with
// a byte order mark, ISO dates, a currency column), one row per invoice or per line; a bad range is refused next to its
// field.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { BASE_URL, apiCall, launch, newUserPage, shoot, signUpAndSignIn, uniqueEmail } from './harness.mjs';

let browser;
let page;
const pageErrors = [];

before(async () => {
  browser = await launch();
  page = await newUserPage(browser, pageErrors);
});

after(async () => {
  await browser?.close();
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the pages');
});

async function download(what) {
  await page.getByLabel('What', { exact: true }).selectOption(what);
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  const bytes = await readFile(await file.path());
  return { name: file.suggestedFilename(), bytes, text: bytes.toString('utf8') };
}

test('the export downloads invoices, by invoice and by line, as a spreadsheet opens them', async () => {
  await signUpAndSignIn(page, uniqueEmail('export'));
  const year = new Date().getFullYear();
  const customer = await apiCall(page, 'POST', '/customers', { body: { name: '=Zhang, "Wei" & Co' } });
  assert.equal(customer.status, 201);
  const invoice = await apiCall(page, 'POST', '/invoices', {
    body: {
      customerId: customer.body.id,
      currency: 'JPY',
      issueDate: `${year}-01-15`,
      dueDate: `${year}-02-14`,
      lines: [
        { description: 'Logo design', quantity: 1, unitPrice: 120000, discountPercent: 0, taxRatePercent: 10 },
        { description: 'Business cards', quantity: 2, unitPrice: 8000, discountPercent: 0, taxRatePercent: 10 },
      ],
    },
  });
  assert.equal(invoice.status, 201);
  const finalized = await apiCall(page, 'POST', `/invoices/${invoice.body.id}/finalize`);
  assert.equal(finalized.status, 200);

  await page.goto(`${BASE_URL}/settings`);
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Export' }).click();
  await page.getByRole('heading', { name: 'Export for your accountant' }).waitFor();

  const byInvoice = await download('invoices');
  assert.match(byInvoice.name, /^invoices-\d{4}-01-01-to-\d{4}-\d{2}-\d{2}\.csv$/);
  assert.deepEqual([...byInvoice.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a byte order mark');
  const rows = byInvoice.text.slice(1).split('\r\n').filter(Boolean);
  assert.equal(rows.length, 2, 'the header and the one finalized invoice');
  assert.match(rows[0], /^number,/);
  assert.ok(rows[1].startsWith('INV-000001,'), rows[1]);
  assert.ok(rows[1].includes(`${year}-01-15`), 'ISO dates');
  assert.ok(rows[1].includes(',JPY,'), 'the currency column');
  // A name with a comma and quotes is one quoted cell, and a leading "=" cannot become a formula.
  assert.ok(rows[1].includes(`"'=Zhang, ""Wei"" & Co"`), rows[1]);
  await page.getByText(`${byInvoice.name} is downloaded.`).waitFor();

  const byLine = await download('invoice-lines');
  const lines = byLine.text.slice(1).split('\r\n').filter(Boolean);
  assert.equal(lines.length, 3, 'the header and one row per line');
  assert.ok(lines.some((l) => l.includes('Business cards')));
  await shoot(page, 'export');
});

test('a range that ends before it starts is refused next to its field', async () => {
  await page.getByLabel('What', { exact: true }).selectOption('payments');
  await page.getByLabel('From', { exact: true }).fill('2026-12-31');
  await page.getByLabel('To', { exact: true }).fill('2026-01-01');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  await page.locator('[data-field-error]').first().waitFor();
  assert.ok((await page.locator('[data-field-error]').count()) >= 1);
});

test('customers import from a CSV file: a preview with each row, then only the new valid ones; the same file again adds nothing', async () => {
  const stamp = Date.now().toString(36);
  const csv = `name,email,city,country\r\nLindqvist & Söner AB,anna-${stamp}@lindqvist.example,Göteborg,SE\r\n,nobody-${stamp}@example.test,,\r\n"佐藤商店",sato-${stamp}@example.jp,大阪,JP\r\n`;
  const file = { name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}`, 'utf8') };
  await page.goto(`${BASE_URL}/customers`);
  await page.getByRole('button', { name: 'Import' }).click();
  let dialog = page.getByRole('dialog', { name: 'Import customers from a CSV file' });
  await dialog.getByLabel('CSV file').setInputFiles(file);
  await dialog.getByText('3 rows: 2 new, 0 already there, 1 not valid').waitFor();
  const rows = dialog.getByRole('table', { name: 'Rows of the file' }).locator('tbody tr');
  assert.equal(await rows.count(), 3);
  assert.match(await rows.nth(1).textContent(), /Not valid/);
  await shoot(page, 'customer-import');
  await dialog.getByRole('button', { name: 'Add 2 customers' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByText('2 customers added.').waitFor();
  await page.getByText('Lindqvist & Söner AB').first().waitFor();
  await page.getByText('佐藤商店').first().waitFor();

  await page.getByRole('button', { name: 'Import' }).click();
  dialog = page.getByRole('dialog', { name: 'Import customers from a CSV file' });
  await dialog.getByLabel('CSV file').setInputFiles(file);
  await dialog.getByText('3 rows: 0 new, 2 already there, 1 not valid').waitFor();
  assert.equal(await dialog.getByRole('button', { name: 'Add 0 customers' }).isDisabled(), true);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});
