import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, createQueryClient } from './app/App';
import { loadConfig } from './app/config';
import { CognitoAuth } from './auth/cognito';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

async function start() {
  try {
    const config = await loadConfig();
    const auth = new CognitoAuth(config);
    const queryClient = createQueryClient();
    const initialUser = await auth.currentUser();
    root.render(
      <StrictMode>
        <App config={config} auth={auth} initialUser={initialUser} queryClient={queryClient} />
      </StrictMode>,
    );
  } catch (error) {
    root.render(
      <main className="page page--narrow">
        <h1>SmallPay cannot start</h1>
        <p>The app&apos;s configuration (/config.json) could not be loaded: {(error as Error).message}.</p>
        <p>
          <button type="button" className="button" onClick={() => location.reload()}>
            Try again
          </button>
        </p>
      </main>,
    );
  }
}

void start();
