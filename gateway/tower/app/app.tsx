import { useState } from 'preact/hooks';
import { clearSession, storedSession, storeSession, type Session } from './api/session.ts';
import { SignIn } from './components/sign-in.tsx';
import { SignedIn } from './signed-in.tsx';

/** Signed out: the sign-in form. Signed in: the tower, until sign-out or a refused token. */
export function App() {
  const [session, setSession] = useState<Session | undefined>(storedSession);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  if (!session) {
    return (
      <SignIn
        notice={notice}
        onSignIn={(next) => {
          storeSession(next);
          setNotice(undefined);
          setSession(next);
        }}
      />
    );
  }
  return (
    <SignedIn
      key={session.token}
      session={session}
      onSignOut={(reason) => {
        clearSession();
        setNotice(reason);
        setSession(undefined);
      }}
    />
  );
}
