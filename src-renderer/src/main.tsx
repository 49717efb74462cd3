import './lib/zod-jitless';
import './styles/tokens.css';
import './styles/base.css';
import './styles/controls.css';
import './styles/screens.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { useUsersListStore } from './features/users/list/users-list-store';

// The list's first rows are asked for before React's first render (App's effect would ask only after the
// first commit), so main answers while the shell renders. App calls init() again; the second call does nothing.
void useUsersListStore.getState().init();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
