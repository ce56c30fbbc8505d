import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initI18n } from './i18n';
import { CUSTOMER_HASH } from './survey/channel';
import { CustomerDisplay } from './survey/CustomerDisplay';
import './styles.css';

// The customer display (a second window turned to the applicant) shows only the questionnaire and
// calls no operation; the operator's window is the app.
const customer = location.hash === CUSTOMER_HASH;

void initI18n().then(() => {
  createRoot(document.getElementById('root')!).render(<StrictMode>{customer ? <CustomerDisplay /> : <App />}</StrictMode>);
});
