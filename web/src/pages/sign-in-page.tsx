// Owns the sign-in page: paste an API key, get a session cookie; the key is sent once and never stored by the page.
import { useState } from 'preact/hooks';
import { signIn } from '../session';
import { useDocumentTitle } from '../use-document-title';

/** Shown whenever the API answers 401. */
export function SignInPage({ message }: { message: string | null }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useDocumentTitle('Sign in — StepFlow');
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(key.trim());
      setKey('');
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="page sign-in" id="main">
      <form class="card sign-in-card" onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to StepFlow</h1>
        {message && (
          <p class="notice" role="status">
            {message}
          </p>
        )}
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          required
          value={key}
          onInput={(event) => setKey((event.target as HTMLInputElement).value)}
        />
        <p class="hint">
          Ask an administrator for a key (<code>stepflow keys create --name you --role viewer</code>).
        </p>
        {error && (
          <p class="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy || key.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
