import { useEffect, useState, type FormEvent } from 'react';
import type { ApiClient, Me } from '../api/client';
import { ErrorNotice, Field, SubmitButton } from '../components/ui';
import { useAction } from '../hooks';

export function SignInPage({ client, onSignedIn }: { client: ApiClient; onSignedIn: (me: Me) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [apiKey, setApiKey] = useState('');
  const withPassword = useAction(() => client.signInWithPassword(email, password));
  const withKey = useAction(() => client.signInWithApiKey(apiKey));

  useEffect(() => {
    document.title = 'Sign in · ISH Chat console';
  }, []);

  const submit = (action: typeof withPassword) => async (event: FormEvent) => {
    event.preventDefault();
    const me = await action.run();
    if (me) onSignedIn(me);
  };

  return (
    <main className="signin" id="main">
      <div className="signin-card">
        <div className="signin-brand" aria-hidden="true">
          <svg viewBox="0 0 32 32" width="40" height="40">
            <rect width="32" height="32" rx="7" fill="currentColor" />
            <path d="M9 10h14M9 16h10M9 22h6" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
          </svg>
        </div>
        <h1>Sign in to ISH Chat</h1>
        <p className="lede">The operator console for the relay, its provider instances and the attached Android devices.</p>

        <form className="form" onSubmit={submit(withPassword)} aria-labelledby="signin-password-title">
          <h2 id="signin-password-title">With your account</h2>
          <Field label="Email">{(id) => <input id={id} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />}</Field>
          <Field label="Password">
            {(id) => <input id={id} type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
          </Field>
          <ErrorNotice error={withPassword.error} />
          <SubmitButton pending={withPassword.pending} busy="Signing in…">Sign in</SubmitButton>
        </form>

        <div className="divider" role="separator">
          <span>or</span>
        </div>

        <form className="form" onSubmit={submit(withKey)} aria-labelledby="signin-key-title">
          <h2 id="signin-key-title">With an API key</h2>
          <Field label="API key" hint="Operators: npm start prints the admin key. The key stays in this browser tab only.">
            {(id, hint) => (
              <input id={id} type="password" className="mono" autoComplete="off" spellCheck={false} required placeholder="ish_…" aria-describedby={hint} value={apiKey} onChange={(e) => setApiKey(e.target.value)} />
            )}
          </Field>
          <ErrorNotice error={withKey.error} />
          <SubmitButton pending={withKey.pending} busy="Checking the key…" secondary>Sign in with key</SubmitButton>
        </form>
      </div>
    </main>
  );
}
