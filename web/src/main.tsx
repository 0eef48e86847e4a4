import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { takeKeyFromFragment } from './api';
import { App, startLoading } from './app';
import './styles.css';

takeKeyFromFragment();
// A dashboard link opened in a tab already at `/` changes only the fragment: no reload.
window.addEventListener('hashchange', takeKeyFromFragment);
startLoading(window.location.pathname, new URLSearchParams(window.location.search));
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
