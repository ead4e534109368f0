// Colours of the interaction types: each at least 3:1 against the white page (non-text contrast), and every
// other type striped, so neighbouring segments differ by more than hue; the legend and labels name them too.
import type { InteractionType } from '../api/interactionFields';

export const TYPE_COLOURS: Record<InteractionType, string> = {
  Meeting: '#1f5fa8',
  Call: '#b35806',
  Email: '#2e7d32',
  Visit: '#c2185b',
  Conference: '#6a1b9a',
  Training: '#00695c',
  Webinar: '#5d4037',
  Other: '#455a64',
};

const STRIPED: ReadonlySet<InteractionType> = new Set(['Call', 'Visit', 'Training', 'Other']);

export const patternId = (type: InteractionType) => `insights-pattern-${type}`;

/** The fill of a type's bars: its colour, or its colour with white stripes. */
export const typeFill = (type: InteractionType): string => (STRIPED.has(type) ? `url(#${patternId(type)})` : TYPE_COLOURS[type]);

/** The stripes, as a <defs> element the chart renders among its children. */
export function typePatterns(types: readonly InteractionType[]) {
  return (
    <defs>
      {types
        .filter((t) => STRIPED.has(t))
        .map((type) => (
          <pattern key={type} id={patternId(type)} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill={TYPE_COLOURS[type]} />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" strokeWidth="2" />
          </pattern>
        ))}
    </defs>
  );
}
