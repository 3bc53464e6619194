// Two-step sign-in with an authenticator app, in a real browser against the local stack: turned on in Settings →
// Sign-in with a code computed from the key on screen (RFC 6238, ./totp.mjs, as a phone's app would), asked for at the
// next sign-in, and turned off again. The local Cognito is moto started with MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP:
// it refuses wrong codes (when turning on and when signing in) but gives every user the same fixed key, so this
// proves the app's flow and the code check, not that keys are per user.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, PASSWORD, dependentSteps, launch, nav, newUserPage, shoot, signUpAndSignIn, uniqueEmail } from './harness.mjs';
import { base32Decode, currentCode, totp } from './totp.mjs';

let browser;
let page;
const pageErrors = [];
const email = uniqueEmail('two-step');
let key = '';

before(async () => {
  browser = await launch();
  page = await newUserPage(browser, pageErrors);
});

after(async () => {
  await browser?.close();
  assert.deepEqual(pageErrors, [], 'no uncaught errors in the pages');
});

/** Six digits that are not the code of this, the previous or the next 30 s step. */
function wrongCode(secret) {
  const now = Date.now() / 1000;
  const near = new Set([-30, 0, 30, 60].map((offset) => totp(base32Decode(secret), now + offset)));
  return ['111111', '222222', '333333', '444444', '555555'].find((code) => !near.has(code));
}

/** Signs out, then opens the sign-in page afresh (signing in again from where one left would return there). */
async function signOut() {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.goto(`${BASE_URL}/signin`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

const codeField = () => page.getByLabel('Code from your authenticator app');

const step = dependentSteps({
  onFailure: async () => console.log('page at failure:', page.url(), (await page.locator('main').innerText().catch(() => '')).slice(0, 800)),
});

step('two-step sign-in is off for a new account', async () => {
  await signUpAndSignIn(page, email);
  await nav(page, 'Settings').click();
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Sign-in' }).click();
  await page.waitForURL(/\/settings\/sign-in$/);
  await page.getByRole('heading', { name: 'Two-step sign-in' }).waitFor();
  await page.getByText('Status: Off').waitFor();
});

step('turning it on shows the key and an authenticator link; a wrong code is refused', async () => {
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  const shown = (await page.locator('#two-step-key').textContent()).trim();
  assert.match(shown, /^[A-Z2-7]{1,4}( [A-Z2-7]{1,4})*$/, 'the key in groups of four');
  key = shown.replaceAll(' ', '');
  const link = await page.getByRole('link', { name: 'open the authenticator app with SmallPay' }).getAttribute('href');
  assert.equal(link, `otpauth://totp/SmallPay:${encodeURIComponent(email)}?secret=${key}&issuer=SmallPay`);
  await shoot(page, 'two-step-setup');

  await codeField().fill(wrongCode(key));
  await page.getByRole('button', { name: 'Turn on', exact: true }).click();
  await page.getByRole('alert').getByText('That code is not right.').waitFor();
  await codeField().waitFor(); // still setting up: nothing turned on

  // Not six digits: refused before asking Cognito.
  await codeField().fill('12345');
  await page.getByRole('button', { name: 'Turn on', exact: true }).click();
  await page.getByText('Enter the 6 digits your authenticator app shows.').waitFor();
});

step('the code of the key (as an authenticator app computes it) turns it on', async () => {
  const code = await currentCode(key);
  await codeField().fill(`${code.slice(0, 3)} ${code.slice(3)}`); // as the apps show it
  await page.getByRole('button', { name: 'Turn on', exact: true }).click();
  await page.getByText('Status: On').waitFor();
  await shoot(page, 'two-step-on');
  // Read again from Cognito, not from the page's state.
  await page.reload();
  await page.getByText('Status: On').waitFor();
});

step('signing in again asks for the code; a wrong one is refused, the right one signs in', async () => {
  await signOut();
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await codeField().waitFor();
  await page.getByText(`Two-step sign-in is on for ${email}`).waitFor();
  await shoot(page, 'sign-in-code');

  await codeField().fill(wrongCode(key));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').getByText('That code is not right.').waitFor();
  assert.match(page.url(), /\/signin/);
  await shoot(page, 'sign-in-code-wrong');

  await codeField().fill(await currentCode(key));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
});

step('turned off, the password alone signs in', async () => {
  await page.goto(`${BASE_URL}/settings/sign-in`);
  await page.getByText('Status: On').waitFor();
  await page.getByRole('button', { name: 'Turn off two-step sign-in' }).click();
  await page.getByText('Status: Off').waitFor();
  await signOut();
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
});
