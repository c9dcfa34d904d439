// Monaco's web workers (editor, JSON, GraphQL) as Vite `?worker` files of the bundle: no CDN.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './styles.css';
import { GraphiQL } from 'graphiql';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
// The same pasted-token session as the control tower (sessionStorage, this tab only).
import {
  clearSession,
  sessionFromToken,
  storedSession,
  storeSession,
  type Session,
} from '../../tower/app/api/session.ts';
import { createFetcher } from './fetcher.ts';

const DEFAULT_QUERY = `# Paste a token above (the README's \`npm run -s token -- --sub me --scopes "..."\`):
# it is sent as Authorization: Bearer over HTTP and in graphql-ws connection_init.
# The docs explorer and autocompletion need introspection: internal tokens only.
query Product {
  product(sku: "SKU000001") {
    sku
    name
  }
}
`;

const form = document.getElementById('token-form') as HTMLFormElement;
const input = document.getElementById('token') as HTMLInputElement;
const forget = document.getElementById('forget-token') as HTMLButtonElement;
const status = document.getElementById('token-status')!;
const note = document.getElementById('introspection-note')!;
const root = createRoot(document.getElementById('graphiql')!);

let dispose: (() => void) | undefined;

function showStatus(text: string, kind: 'signed-in' | 'problem' | '') {
  status.textContent = text;
  status.className = `token-status ${kind}`.trim();
}

function showIntrospection(refusal: string | undefined) {
  note.hidden = refusal === undefined;
  note.textContent = refusal
    ? `Introspection refused (${refusal}): the docs explorer and autocompletion need an internal token. Queries still run with this token.`
    : '';
}

/** (Re)renders GraphiQL with a fetcher for `session`'s token: GraphiQL introspects again. */
function render(session: Session | undefined) {
  dispose?.();
  const created = createFetcher({ token: session?.token, onIntrospection: showIntrospection });
  dispose = created.dispose;
  if (session) {
    const expires = session.expiresAt ? `, expires ${session.expiresAt.toLocaleString()}` : '';
    showStatus(`${session.subject} (${session.tokenClass}${expires})`, 'signed-in');
  } else showStatus('No token: requests are anonymous', '');
  root.render(
    createElement(GraphiQL, {
      fetcher: created.fetcher,
      defaultQuery: DEFAULT_QUERY,
      shouldPersistHeaders: false,
    }),
  );
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const session = sessionFromToken(input.value);
  if (typeof session === 'string') {
    showStatus(session, 'problem');
    return;
  }
  storeSession(session);
  input.value = '';
  render(session);
});

forget.addEventListener('click', () => {
  clearSession();
  input.value = '';
  render(undefined);
});

render(storedSession());
