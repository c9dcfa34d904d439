import { useState } from 'preact/hooks';
import { sessionFromToken, type Session } from '../api/session.ts';

type Props = { notice: string | undefined; onSignIn(session: Session): void };

const TOKEN_COMMAND =
  'npm run -s token -- --sub ops-1 --scopes "promotion:read promotion:audit promotion:approve promotion:approve:override promotion:publish promotion:suspend pricing:read inventory:read funding:read events:subscribe"';

/** Sign-in by pasting a token: the page keeps it for this tab only. */
export function SignIn({ notice, onSignIn }: Props) {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  return (
    <main id="main" class="sign-in">
      <h1>Promotion control tower</h1>
      <p>
        See whether each promotion was approved, published, acknowledged and live in every channel,
        or where it stopped.
      </p>
      {notice && (
        <p class="notice" role="alert">
          {notice}
        </p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const session = sessionFromToken(token);
          if (typeof session === 'string') setProblem(session);
          else onSignIn(session);
        }}
      >
        <label for="token">Access token</label>
        <textarea
          id="token"
          name="token"
          rows={5}
          spellcheck={false}
          autocomplete="off"
          value={token}
          aria-describedby="token-help"
          aria-invalid={problem ? true : undefined}
          onInput={(event) => setToken(event.currentTarget.value)}
        />
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" disabled={token.trim() === ''}>
          Sign in
        </button>
      </form>
      <div id="token-help" class="help">
        <p>
          Paste a token your identity provider issued for this gateway. It stays in this browser tab
          only. With <code>npm start</code>, a development token for an operations user:
        </p>
        <pre>
          <code>{TOKEN_COMMAND}</code>
        </pre>
        <p>Partners sign in with their own token and see their vendor only.</p>
      </div>
    </main>
  );
}
