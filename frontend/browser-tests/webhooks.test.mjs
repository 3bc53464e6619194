// Webhooks in a real browser against the local stack: Settings → Webhooks adds an endpoint on the host's test receiver
// (event types as checkboxes), shows its signing secret once with a copy button, refuses a URL that points inside;
// a domain event put on DomainEventsQueue goes through EventsPipe → the bus → WebhookEventsRule → WebhooksQueue →
// DeliverWebhooks to the receiver, signed with that secret (checked here as a receiver would); the delivery log shows
// the receiver's 503 and a Resend delivers it; the secret is rotated, the endpoint disabled and deleted.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { BASE_URL, apiCall, dependentSteps, launch, newUserPage, shoot, signUpAndSignIn, uniqueEmail } from './harness.mjs';

let browser;
let page;
const pageErrors = [];
const receiver = `erp-${Date.now().toString(36)}`;
// The functions may reach the host's own receiver only, at its exact origin (WEBHOOK_TEST_RECEIVER_ORIGIN: 127.0.0.1).
const receiverUrl = `${BASE_URL.replace('//localhost', '//127.0.0.1')}/_local/webhook-receiver/${receiver}`;
let secret = '';
let business = '';
const eventId = `evt_${Date.now().toString(36)}browsertest`;

before(async () => {
  browser = await launch();
  page = await newUserPage(browser, pageErrors);
});

after(async () => {
  await browser?.close();
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the pages');
});

const step = dependentSteps();

async function received(atLeast, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const requests = (await (await fetch(`${BASE_URL}/_local/webhook-receiver/${receiver}`)).json()).requests;
    if (requests.length >= atLeast) return requests;
    if (Date.now() > deadline) throw new Error(`the receiver got ${requests.length} requests, expected ${atLeast}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

step('an endpoint pointing inside is refused next to its URL', async () => {
  await signUpAndSignIn(page, uniqueEmail('webhooks'));
  business = (await apiCall(page, 'GET', '/me')).body.userId;
  await page.goto(`${BASE_URL}/settings`);
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Webhooks' }).click();
  await page.getByRole('heading', { name: 'No webhook endpoints yet' }).waitFor();
  await page.getByLabel('URL').fill('https://169.254.169.254/latest/meta-data/');
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await page.getByText(/must not point at a private, loopback, link-local or reserved address/).waitFor();
});

step('adding an endpoint shows its secret once, with a copy button', async () => {
  await page.getByLabel('URL').fill(receiverUrl);
  await page.getByLabel('InvoiceFinalized').uncheck();
  assert.equal(await page.getByLabel('InvoicePaid').isChecked(), true);
  await page.getByLabel('PaymentRecorded').check();
  await page.getByLabel('Description (optional)').fill('Bookkeeping system');
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await page.getByText('Endpoint added: its signing secret').waitFor();
  secret = await page.getByLabel('Signing secret').inputValue();
  assert.match(secret, /^whsec_/);
  await page.getByRole('button', { name: 'Copy secret' }).waitFor();
  await page.getByRole('region', { name: `Endpoint ${receiverUrl}` }).waitFor();
  await shoot(page, 'webhooks-secret');
  await page.getByRole('button', { name: 'I have saved it' }).click();
  const list = await apiCall(page, 'GET', '/webhooks');
  assert.deepEqual(list.body.items[0].events, ['PaymentRecorded', 'InvoicePaid']);
  assert.ok(!JSON.stringify(list.body).includes(secret), 'no read shows the secret');
});

step('an event reaches the receiver signed; the log shows the 503 and Resend delivers it', async () => {
  await fetch(`${BASE_URL}/_local/webhook-receiver/${receiver}/script`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fail: 1, status: 503 }) });
  const message = {
    'detail-type': 'InvoicePaid',
    detail: { id: eventId, type: 'InvoicePaid', schemaVersion: 1, business, entityId: 'inv_01JEXAMPLE0000000000000000', time: new Date().toISOString(), actor: business, data: { number: 'INV-000042' } },
  };
  const sent = await fetch(`${BASE_URL}/_local/queues/DomainEventsQueue/messages`, { method: 'POST', body: JSON.stringify(message) });
  assert.equal(sent.status, 200);

  const [first] = await received(1);
  assert.equal(first.answered, 503);
  const signature = first.headers['SmallPay-Signature'];
  const t = signature.split(',')[0].slice(2);
  const expected = createHmac('sha256', secret).update(`${t}.${first.body}`).digest('hex');
  assert.ok(signature.split(',').includes(`v1=${expected}`), 'the receiver can verify the signature with the secret it was shown');
  assert.equal(first.headers['SmallPay-Event-Id'], eventId);

  const card = page.getByRole('region', { name: `Endpoint ${receiverUrl}` });
  await card.getByRole('button', { name: 'Deliveries' }).click();
  const log = page.getByRole('table', { name: `Deliveries to ${receiverUrl}` });
  await log.getByText('HTTP 503').waitFor();
  await log.getByText('Pending').waitFor();
  await shoot(page, 'webhooks-delivery-log');
  await log.getByRole('button', { name: 'Resend' }).click();
  await log.getByText('Delivered').waitFor();
  await log.getByText(/HTTP 200 · \d+ ms · resent/).waitFor();
  assert.equal((await received(2)).length, 2);
  await shoot(page, 'webhooks-resent');
});

step('rotating the secret shows the new one; disabling and deleting the endpoint', async () => {
  const card = page.getByRole('region', { name: `Endpoint ${receiverUrl}` });
  await card.getByRole('button', { name: 'Rotate secret' }).click();
  await page.getByText('New signing secret').waitFor();
  const rotated = await page.getByLabel('Signing secret').inputValue();
  assert.notEqual(rotated, secret);
  await page.getByRole('button', { name: 'I have saved it' }).click();
  await card.getByText(/the previous secret signs too until/).waitFor();
  await card.getByRole('button', { name: 'Disable' }).click();
  await page.getByRole('region', { name: `Endpoint ${receiverUrl}` }).getByRole('button', { name: 'Enable' }).waitFor();
  await page.getByRole('region', { name: `Endpoint ${receiverUrl}` }).getByText(/Off · added/).waitFor();
  await shoot(page, 'webhooks-list');
  await page.getByRole('region', { name: `Endpoint ${receiverUrl}` }).getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Delete endpoint' }).click();
  await page.getByRole('heading', { name: 'No webhook endpoints yet' }).waitFor();
});
