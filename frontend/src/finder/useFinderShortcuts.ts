// The Finder's shortcuts: "/" search, "n" new, "j"/"k" through the rows, "e" edit the row in focus.
// Enter on a row is the browser's: the row's title is a link.
import type { RefObject } from 'react';
import { useNavigate } from 'react-router-dom';
import { announce } from '../shortcuts/announce';
import { useShortcut } from '../shortcuts/useShortcut';

const rowLinks = () => Array.from(document.querySelectorAll<HTMLAnchorElement>('#finder-results a[data-row-link]'));

/** Focuses the row `step` away from the one in focus (the first or last when none is). */
function moveRow(step: 1 | -1) {
  const links = rowLinks();
  const current = links.indexOf(document.activeElement as HTMLAnchorElement);
  const index = current === -1 ? (step === 1 ? 0 : links.length - 1) : Math.min(Math.max(current + step, 0), links.length - 1);
  const link = links.at(index);
  if (!link) return;
  link.focus();
  announce(`Row ${index + 1} of ${links.length}: ${link.textContent ?? ''}`);
}

export function useFinderShortcuts(search: RefObject<HTMLInputElement | null>, canWrite: boolean) {
  const navigate = useNavigate();
  useShortcut('search', () => {
    search.current?.focus();
    search.current?.select();
  });
  useShortcut(
    'new',
    () => {
      navigate('/interactions/new');
      announce('New interaction form');
    },
    canWrite,
  );
  useShortcut('next', () => moveRow(1));
  useShortcut('previous', () => moveRow(-1));
  useShortcut(
    'edit',
    () => {
      const links = rowLinks();
      const row = links.find((link) => link === document.activeElement) ?? links.at(0);
      if (!row) return;
      navigate(row.getAttribute('href') ?? '/interactions', { state: { edit: true } });
      announce(`Editing ${row.textContent ?? 'the interaction'}`);
    },
    canWrite,
  );
}
