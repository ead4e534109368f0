// Test environment: jest-dom matchers, a <dialog> stand-in (jsdom lacks showModal), clean storage per test.
import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { Settings } from 'luxon';
import { afterEach } from 'vitest';

if (typeof HTMLDialogElement !== 'undefined' && !HTMLDialogElement.prototype.showModal) {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
}

// Dates read as a British user sees them, whatever the machine's own locale.
Settings.defaultLocale = 'en-GB';

// findBy*/waitFor wait up to 5 s: a loaded machine must not turn a slow render into a failure.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  localStorage.clear();
  sessionStorage.clear();
});
