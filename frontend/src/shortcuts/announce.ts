// Tells screen-reader users what a shortcut did when it changes the page (the region is ShortcutsHost's).
export const ANNOUNCER_ID = 'shortcut-announcer';

export function announce(message: string) {
  const region = document.getElementById(ANNOUNCER_ID);
  if (!region) return;
  // Emptied first so the same words twice are announced twice.
  region.textContent = '';
  window.requestAnimationFrame(() => {
    region.textContent = message;
  });
}
