import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { takeKeyFromFragment } from './api';
import { App, startLoading } from './app';
import './styles.css';

takeKeyFromFragment();
startLoading(window.location.pathname, new URLSearchParams(window.location.search));
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
