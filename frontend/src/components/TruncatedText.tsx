// Long text cut to one line in a cell; the whole text appears beside it on hover and on keyboard focus.
import { useEffect, useState, type FocusEvent, type MouseEvent } from 'react';
import { createPortal } from 'react-dom';

type Anchor = { top: number; left: number };

export function TruncatedText({ text }: { text: string }) {
  const [anchor, setAnchor] = useState<Anchor | null>(null);

  // A fixed tooltip would drift from its cell when the page scrolls: close it instead.
  useEffect(() => {
    if (!anchor) return;
    const close = () => setAnchor(null);
    window.addEventListener('scroll', close, true);
    window.addEventListener('resize', close);
    return () => {
      window.removeEventListener('scroll', close, true);
      window.removeEventListener('resize', close);
    };
  }, [anchor]);

  if (!text.trim()) return <span className="muted">—</span>;
  const show = (event: MouseEvent<HTMLElement> | FocusEvent<HTMLElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    setAnchor({ top: rect.bottom + 4, left: Math.max(8, Math.min(rect.left, window.innerWidth - 428)) });
  };
  const hide = () => setAnchor(null);

  return (
    <>
      {/* Focusable so keyboard users can read it all; screen readers already get the full text as its content. */}
      {/* eslint-disable-next-line jsx-a11y/no-static-element-interactions -- hover and focus only show the tooltip */}
      <span
        className="truncated"
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a stop for keyboard users to read the text
        tabIndex={0}
        onMouseEnter={show}
        onMouseLeave={hide}
        onFocus={show}
        onBlur={hide}
        onKeyDown={(e) => e.key === 'Escape' && hide()}
      >
        {text}
      </span>
      {anchor &&
        createPortal(
          // Visual only: assistive technology reads the cell's own (complete) text.
          <div className="tooltip" aria-hidden="true" data-testid="cell-tooltip" style={anchor}>
            {text}
          </div>,
          document.body,
        )}
    </>
  );
}
